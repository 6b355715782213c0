import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import {
  validateFromCompareWebview, validateFromNetworksWebview, validateFromUatWebview, validateFromVisualizeWebview,
} from '../../../src/shared/webviewMessages';

const validators = { validateFromVisualizeWebview, validateFromCompareWebview, validateFromUatWebview, validateFromNetworksWebview };

describe('webview messages at the host boundary', () => {
  it('accepts what the pages really send', () => {
    const good: [keyof typeof validators, unknown][] = [
      ['validateFromVisualizeWebview', { type: 'ready' }],
      ['validateFromVisualizeWebview', { type: 'control', action: 'stepEpoch' }],
      ['validateFromVisualizeWebview', { type: 'set', lr: 0.01 }],
      ['validateFromVisualizeWebview', { type: 'savePng', chart: 'loss', dataUrl: 'data:image/png;base64,AAAA' }],
      ['validateFromVisualizeWebview', { type: 'openLocation', location: { file: '/a/b.csv', line: 3, column: 1 } }],
      ['validateFromCompareWebview', { type: 'compareReady', restored: { selected: ['relu'], params: {}, depth: 8, showDerivatives: true } }],
      ['validateFromCompareWebview', { type: 'compareVisualize', activation: 'leaky_relu', params: { slope: 0.2 } }],
      ['validateFromUatWebview', { type: 'uatTrain', start: 'random', network: { units: [{ w: 1, b: 0, v: 2 }], outputBias: 0 }, lr: 0.05, seed: 7 }],
      ['validateFromNetworksWebview', { type: 'landscapeRun', request: { grid: 21, range: 1, seed: 0, steps: 100, maxRows: 500, skipOnOff: false } }],
      ['validateFromNetworksWebview', { type: 'netsExport', format: 'json', name: 'x', content: '{}' }],
    ];
    for (const [name, message] of good) {
      const result = validators[name](message);
      assert.ok(result.ok, `${name} refused ${JSON.stringify(message)}: ${result.ok ? '' : result.reason}`);
    }
  });

  it('refuses malformed messages with a reason that says where', () => {
    const bad: [keyof typeof validators, unknown, RegExp][] = [
      ['validateFromVisualizeWebview', null, /must be an object, not null/],
      ['validateFromVisualizeWebview', { type: 'explode' }, /unknown message type "explode"/],
      ['validateFromVisualizeWebview', { type: 'control', action: 'format-disk' }, /action must be one of play/],
      ['validateFromVisualizeWebview', { type: 'set', lr: Number.NaN }, /lr must be a number/],
      ['validateFromVisualizeWebview', { type: 'openLocation', location: { file: 'x', line: 0, column: 1 } }, /location\.line must be a whole number from 1/],
      ['validateFromCompareWebview', { type: 'compareVisualize', activation: 'sigmod', params: {} }, /activation must be an activation name/],
      ['validateFromUatWebview', { type: 'uatTrain', start: 'random', network: { units: [{ w: 1, b: 0 }], outputBias: 0 }, lr: 0.1, seed: 1 }, /network\.units\[0\]\.v must be a number/],
      ['validateFromNetworksWebview', { type: 'landscapeRun' }, /request must be an object/],
      ['validateFromNetworksWebview', { type: 'netsExport', format: 'exe', name: 'x', content: '' }, /format must be one of json, png/],
    ];
    for (const [name, message, reason] of bad) {
      const result = validators[name](message);
      assert.ok(!result.ok, `${name} accepted ${JSON.stringify(message)}`);
      assert.match(result.reason, reason);
    }
  });

  it('never throws, whatever arrives', () => {
    fc.assert(fc.property(fc.anything({ withBigInt: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true }), value => {
      for (const validate of Object.values(validators)) validate(value);
      for (const type of ['ready', 'set', 'uatTrain', 'compareVisualize', 'landscapeRun', 'openLocation']) {
        for (const validate of Object.values(validators)) validate(typeof value === 'object' && value !== null ? { ...value, type } : { type, value });
      }
    }), { numRuns: 300 });
  });
});
