import { strict as assert } from 'node:assert';
import { DEFAULT_UAT_STATE, sanitizeUatState, UAT_MAX_BUMPS } from '../../../src/universalApproximation/uatState';

describe('universal approximation panel: restored state', () => {
  it('keeps a well-formed state as it was', () => {
    const state = {
      source: { kind: 'file' as const, dataPath: '/data/curve.csv', inputs: ['t'], target: 2 },
      network: { units: [{ w: 10, b: -2, v: 0.5 }, { w: 10, b: -5, v: -0.5 }], outputBias: 0.1 },
      bumps: 7, towers: 5, lr: 0.02,
      trained: { random: { network: { units: [{ w: 1, b: 0, v: 1 }], outputBias: 0 }, step: 40, loss: 0.5 } },
    };
    assert.deepEqual(sanitizeUatState(JSON.parse(JSON.stringify(state))), state);
  });

  it('drops or clamps what another process might hand back broken', () => {
    const state = sanitizeUatState({
      source: { kind: 'file', dataPath: '' },
      network: { units: [{ w: 'x', b: 0, v: 0 }], outputBias: 0 },
      bumps: 1e9, towers: -3, lr: -1,
      trained: { handBuilt: { network: null, step: 1, loss: 1 }, random: 'no' },
    });
    assert.deepEqual(state, { source: undefined, network: undefined, bumps: UAT_MAX_BUMPS, towers: 1, lr: DEFAULT_UAT_STATE.lr, trained: {} });
    assert.equal(sanitizeUatState(null), undefined);
    assert.deepEqual(sanitizeUatState({ source: { kind: 'builtin', builtin: 'nielsen', samples: 1.5 } })?.source, { kind: 'builtin', builtin: 'nielsen' });
  });
});
