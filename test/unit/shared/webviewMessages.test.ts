import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import {
  checkFromCompareWebview, checkFromNetworksWebview, checkFromUatWebview, checkFromWebview,
} from '../../../src/shared/webviewMessages';

const checkers = { checkFromWebview, checkFromCompareWebview, checkFromUatWebview, checkFromNetworksWebview };

describe('webview → host messages are checked at the boundary', () => {
  it('passes well-formed Visualize messages on, copied field by field', () => {
    assert.deepEqual(checkFromWebview({ type: 'control', action: 'stepEpoch' }), { ok: true, message: { type: 'control', action: 'stepEpoch' } });
    assert.deepEqual(checkFromWebview({ type: 'set', lr: 0.05, batchSize: 31.6, extra: 'dropped' }), { ok: true, message: { type: 'set', lr: 0.05, batchSize: 32 } });
    assert.deepEqual(checkFromWebview({ type: 'openLocation', location: { file: '/w/a.nn.json', line: 3, column: 7 } }),
      { ok: true, message: { type: 'openLocation', location: { file: '/w/a.nn.json', line: 3, column: 7 } } });
    assert.deepEqual(checkFromWebview({ type: 'export', format: 'csv' }), { ok: true, message: { type: 'export', format: 'csv' } });
  });

  it('refuses malformed ones with a reason', () => {
    const cases: [unknown, RegExp][] = [
      [null, /not an object \(null\)/],
      [[1, 2], /array/],
      ['ready', /string/],
      [{}, /no string "type"/],
      [{ type: 'nuke' }, /unknown type "nuke"/],
      [{ type: 'control', action: 'explode' }, /action/],
      [{ type: 'set', lr: -1 }, /"lr"/],
      [{ type: 'set', lr: Number.NaN }, /"lr"/],
      [{ type: 'set', batchSize: '32' }, /"batchSize"/],
      [{ type: 'export', format: 'exe' }, /format/],
      [{ type: 'savePng', chart: 'loss', dataUrl: 42 }, /dataUrl/],
      [{ type: 'openLocation', location: { file: '/a', line: 0, column: 1 } }, /location/],
      [{ type: 'openLocation' }, /location/],
    ];
    for (const [raw, reason] of cases) {
      const checked = checkFromWebview(raw);
      assert.equal(checked.ok, false, JSON.stringify(raw));
      if (!checked.ok) assert.match(checked.reason, reason, JSON.stringify(raw));
    }
  });

  it('checks the other panels too', () => {
    assert.equal(checkFromCompareWebview({ type: 'compareVisualize', activation: 'relu', params: {} }).ok, true);
    assert.equal(checkFromCompareWebview({ type: 'compareVisualize', activation: 'relu; rm -rf', params: {} }).ok, false);
    assert.equal(checkFromCompareWebview({ type: 'compareVisualize', activation: 'elu', params: { alpha: 'big' } }).ok, false);
    const network = { units: [{ w: 1, b: 0, v: 2 }], outputBias: 0.5 };
    assert.deepEqual(checkFromUatWebview({ type: 'uatTrain', start: 'random', network, lr: 0.1, seed: 3 }),
      { ok: true, message: { type: 'uatTrain', start: 'random', network, lr: 0.1, seed: 3 } });
    assert.equal(checkFromUatWebview({ type: 'uatTrain', start: 'random', network: { units: [{ w: 'x' }], outputBias: 0 }, lr: 0.1, seed: 3 }).ok, false);
    assert.equal(checkFromUatWebview({ type: 'uatStopTraining', start: 'both' }).ok, false);
    assert.equal(checkFromNetworksWebview({ type: 'netsExport', format: 'png', name: 'a', content: 'data:' }).ok, true);
    assert.equal(checkFromNetworksWebview({ type: 'netsExport', format: 'svg', name: 'a', content: '' }).ok, false);
    assert.equal(checkFromNetworksWebview({ type: 'landscapeRun', request: null }).ok, false);
  });

  it('never throws, whatever arrives (fast-check, 2,000 values per panel)', () => {
    const messageLike = fc.oneof(
      fc.anything(),
      fc.record({ type: fc.constantFrom('ready', 'control', 'set', 'export', 'savePng', 'openLocation', 'compareVisualize', 'uatTrain', 'uatReady', 'netsExport', 'landscapeRun'), action: fc.anything(), lr: fc.anything(), format: fc.anything(), location: fc.anything(), network: fc.anything(), params: fc.anything(), request: fc.anything(), start: fc.anything() }, { requiredKeys: ['type'] }),
    );
    for (const [name, check] of Object.entries(checkers)) {
      fc.assert(fc.property(messageLike, raw => {
        const checked = (check as (raw: unknown) => { ok: boolean; reason?: string })(raw);
        return checked.ok || typeof checked.reason === 'string';
      }), { numRuns: 2000, seed: 16, verbose: false });
      assert.ok(name);
    }
  });
});
