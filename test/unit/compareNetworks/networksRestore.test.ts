// What a reloaded Compare Networks / Loss Landscape webview hands back is page data: the serializer runs a job
// from it only when every field is one the commands could have started.
import * as assert from 'assert';
import { DEFAULT_LANDSCAPE_REQUEST, sanitizeRestore } from '../../../src/compareNetworks/networksRestore';

describe('Compare Networks restore state', () => {
  const deepSigmoid = { kind: 'preset', preset: 'deep-sigmoid', label: 'Deep sigmoid' };
  const config = { kind: 'config', configPath: '/ws/examples/residual.nn.json', label: 'residual.nn.json' };

  it('restores a comparison and a landscape as they were started', () => {
    assert.deepStrictEqual(
      sanitizeRestore({ kind: 'compare', choices: [deepSigmoid, config], data: { kind: 'builtin', builtin: 'circle' }, seed: 3, epochs: 2 }),
      { kind: 'compare', choices: [deepSigmoid, config], data: { kind: 'builtin', builtin: 'circle' }, seed: 3, epochs: 2 });
    const request = { ...DEFAULT_LANDSCAPE_REQUEST, grid: 21, skipOnOff: true };
    assert.deepStrictEqual(sanitizeRestore({ kind: 'landscape', choice: config, data: { kind: 'config' }, request }),
      { kind: 'landscape', choice: config, data: { kind: 'config' }, request });
  });

  it('clamps the landscape request and defaults what is missing', () => {
    const restored = sanitizeRestore({ kind: 'landscape', choice: deepSigmoid, data: { kind: 'file', dataPath: '/ws/d.csv' }, request: { grid: 1000, steps: -5 } });
    assert.ok(restored?.kind === 'landscape');
    assert.strictEqual(restored.request.grid, 101);
    assert.strictEqual(restored.request.steps, 0);
    assert.strictEqual(restored.request.range, DEFAULT_LANDSCAPE_REQUEST.range);
    const compare = sanitizeRestore({ kind: 'compare', choices: [deepSigmoid, deepSigmoid], data: { kind: 'config' }, seed: 1.5, epochs: 0 });
    assert.ok(compare?.kind === 'compare');
    assert.deepStrictEqual([compare.seed, compare.epochs], [1, 30]);
  });

  it('refuses what no command could have started', () => {
    for (const state of [
      undefined, null, 'compare', {},
      { kind: 'compare', choices: [deepSigmoid], data: { kind: 'config' } },
      { kind: 'compare', choices: [deepSigmoid, { kind: 'preset', preset: 'no-such-preset', label: 'x' }], data: { kind: 'config' } },
      { kind: 'compare', choices: [deepSigmoid, config, deepSigmoid, config, deepSigmoid], data: { kind: 'config' } },
      { kind: 'compare', choices: [deepSigmoid, config], data: { kind: 'builtin', builtin: 'no-such-set' } },
      { kind: 'landscape', choice: { kind: 'config', configPath: 42, label: 'x' }, data: { kind: 'config' } },
      { kind: 'landscape', choice: config, data: { kind: 'file', dataPath: '' } },
      { kind: 'other', choice: config, data: { kind: 'config' } },
    ]) assert.strictEqual(sanitizeRestore(state), undefined, JSON.stringify(state));
  });
});
