// The exact split of each layer's gradient gain (BackwardSplit): against PyTorch autograd's gradients of every
// intermediate tensor (scripts/torch_reference.py), and on every preset and bundled example its invariants:
// the factors' product is the gain, each factor stays under its bound, the measured ratio under the rigorous bound.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { ACTIVATIONS } from '../../../../src/core/activations/activations';
import { loadRun, type RunRequest } from '../../../../src/core/config/config';
import { NETWORK_PRESETS, presetConfigText } from '../../../../src/core/config/presets';
import { computeLoss } from '../../../../src/core/nn/losses';
import { Network, type ModuleParams } from '../../../../src/core/nn/network';
import { backwardSplits } from '../../../../src/core/nn/probes';
import { Rng } from '../../../../src/core/nn/rng';
import { SpectralNormEstimator } from '../../../../src/core/nn/spectralNorm';
import { Trainer } from '../../../../src/core/nn/trainer';
import type { ActivationState } from '../../../../src/core/nn/modules/activation';
import type { BackwardSplit, LossName, NetworkSpec, Snapshot } from '../../../../src/core/types';
import { randomArray } from './helpers';

const ROOT = path.join(__dirname, '..', '..', '..', '..');
const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'torch', 'backward_split.json');

interface SplitCase {
  name: string;
  spec: NetworkSpec;
  loss: LossName;
  params: ModuleParams[];
  dropoutMasks: number[][];
  x: number[][];
  y: number[];
  expected: { splits: Record<string, number>[] };
}

/** The product of every factor present (absent ones count as 1); null if one is null. */
function factorProduct(b: BackwardSplit): number | null {
  const factors = [b.activationFactor, b.weightFactor, b.batchNormFactor ?? 1, b.dropoutFactor ?? 1, b.residualFactor ?? 1];
  return factors.some((f) => f === null) ? null : factors.reduce<number>((p, f) => p * (f as number), 1);
}

describe('backward split: against PyTorch autograd (hooked gradients of each intermediate tensor)', () => {
  const cases = (JSON.parse(fs.readFileSync(FIXTURE, 'utf8')) as { cases: SplitCase[] }).cases;
  it('covers a plain, a batch-norm (before/after, PReLU, dropout) and a residual network', () => {
    assert.equal(cases.length, 3);
    const keys = new Set(cases.flatMap((c) => c.expected.splits.flatMap((s) => Object.keys(s))));
    for (const k of ['batchNormFactor', 'batchNormBound', 'dropoutFactor', 'residualFactor', 'rigorousBound']) assert.ok(keys.has(k), k);
  });

  for (const c of cases) {
    it(`${c.name}: every factor, spectral norm, cumulative ratio and bound to 1e-9`, () => {
      const net = new Network(c.spec, 0);
      net.importParams(c.params);
      const n = c.x.length;
      const width = (k: number): number => net.dropouts[k].width;
      c.dropoutMasks.forEach((mask, k) => {
        assert.equal(mask.length, n * width(k));
        net.dropouts[k].fixedMask = Float64Array.from(mask);
      });
      const x = Float64Array.from(c.x.flat());
      const ws = net.createWorkspace(n);
      const out = net.forward(ws, x, n, 'train');
      computeLoss(c.loss, out, Float64Array.from(c.y), n, net.outputs, ws.outputGrad);
      net.backward(ws, x);
      const splits = backwardSplits(net, ws);
      assert.equal(splits.length, c.expected.splits.length + 1, 'one split per layer but the output layer');
      assert.equal(splits[splits.length - 1], undefined);
      c.expected.splits.forEach((expected, i) => {
        const actual = splits[i] as unknown as Record<string, number | undefined>;
        assert.ok(actual, `layer ${i} has a split`);
        const present = Object.keys(actual).filter((k) => actual[k] !== undefined && k !== 'gainBound').sort();
        assert.deepEqual(present, Object.keys(expected).sort(), `layer ${i}: the same stages as torch`);
        for (const [key, value] of Object.entries(expected)) {
          const a = actual[key] as number;
          assert.ok(Math.abs(a - value) <= 1e-9 * Math.abs(value), `layer ${i} ${key}: ${a} vs torch ${value}`);
        }
      });
    });
  }
});

/** Every preset (on the spiral) and every bundled example, as the CLI loads them. */
function runRequests(): { label: string; request: RunRequest }[] {
  const examples = fs.readdirSync(path.join(ROOT, 'examples')).filter((f) => f.endsWith('.nn.json'));
  assert.ok(examples.length >= 5);
  return [
    ...examples.map((f) => ({ label: f, request: { kind: 'config', configPath: path.join(ROOT, 'examples', f) } as RunRequest })),
    ...NETWORK_PRESETS.map((p) => ({ label: `preset ${p.id}`, request: { kind: 'builtin', builtin: 'spiral', preset: p.id } as RunRequest })),
  ];
}

function checkInvariants(snap: Snapshot, where: string): number {
  const layers = snap.layers;
  let checked = 0;
  layers.forEach((layer, i) => {
    const b = layer.backward;
    if (i === layers.length - 1) {
      assert.equal(b, undefined, `${where}: the output layer has no split`);
      return;
    }
    assert.ok(b, `${where}: layer ${i} has a split`);
    const at = `${where} layer ${i}`;
    // Nothing in these runs is dead everywhere: every ratio is defined.
    assert.ok(b.gain !== null && b.gain > 0, `${at}: gain ${b.gain}`);
    const product = factorProduct(b);
    assert.ok(product !== null && Math.abs(product / b.gain - 1) <= 1e-12, `${at}: product ${product} vs gain ${b.gain}`);
    // The gain is the ratio of the probes' own deltaNorm values.
    const fromDeltas = layer.deltaNorm / layers[i + 1].deltaNorm;
    assert.ok(Math.abs(b.gain / fromDeltas - 1) <= 1e-12, `${at}: gain ${b.gain} vs deltaNorm ratio ${fromDeltas}`);
    assert.ok((b.activationFactor as number) <= b.maxSlope, `${at}: activation ${b.activationFactor} > max slope ${b.maxSlope}`);
    assert.ok((b.weightFactor as number) <= b.weightSpectralNorm, `${at}: weight ${b.weightFactor} > ‖W‖₂ ${b.weightSpectralNorm}`);
    if (b.batchNormFactor !== undefined) {
      assert.ok((b.batchNormFactor as number) <= (b.batchNormBound as number) * (1 + 1e-12), `${at}: BN ${b.batchNormFactor} > ${b.batchNormBound}`);
    }
    if (b.dropoutFactor !== undefined) assert.ok((b.dropoutFactor as number) <= (b.dropoutBound as number) * (1 + 1e-12), at);
    if (b.gainBound !== undefined) assert.ok(b.gain <= b.gainBound * (1 + 1e-12), `${at}: gain ${b.gain} > bound ${b.gainBound}`);
    const cumulative = layer.deltaNorm / layers[layers.length - 1].deltaNorm;
    assert.ok(Math.abs((b.cumulativeGain as number) / cumulative - 1) <= 1e-12, `${at}: cumulative ${b.cumulativeGain} vs ${cumulative}`);
    assert.ok((b.cumulativeActivationFactor as number) <= b.activationBound * (1 + 1e-12), `${at}: ∏ activation factors above ∏ max slope`);
    assert.ok(b.rigorousBound !== undefined, `${at}: these networks all have a finite rigorous bound`);
    assert.ok((b.cumulativeGain as number) <= b.rigorousBound * (1 + 1e-12), `${at}: measured ${b.cumulativeGain} above the rigorous bound ${b.rigorousBound}`);
    checked++;
  });
  return checked;
}

describe('backward split: invariants on every preset and bundled example', function () {
  this.timeout(120000);
  for (const { label, request } of runRequests()) {
    it(`${label}: factors multiply to the gain (1e-12); activation ≤ max slope; measured ≤ rigorous bound, at step 0 and after training`, async () => {
      const run = await loadRun(request, {}, presetConfigText);
      const trainer = new Trainer(run.train, run.data);
      let checked = checkInvariants(trainer.step0Diagnostics(), `${label} step-0 diagnostics`);
      checked += checkInvariants(trainer.snapshot(), `${label} first snapshot`);
      trainer.runSteps(25);
      assert.equal(trainer.diverged, null);
      checked += checkInvariants(trainer.snapshot(), `${label} after 25 steps`);
      assert.equal(checked, 3 * (trainer.network.linearLayers.length - 1));
    });
  }
});

describe('backward split: definitions', () => {
  it('a plain stack: rigorous bound = ∏ maxSlope·‖W‖₂, activation bound = ∏ maxSlope (¼ⁿ for sigmoid)', () => {
    const spec: NetworkSpec = {
      inputs: 4,
      layers: [
        { type: 'linear', units: 8 }, { type: 'activation', name: 'sigmoid' },
        { type: 'linear', units: 8 }, { type: 'activation', name: 'sigmoid' },
        { type: 'linear', units: 8 }, { type: 'activation', name: 'sigmoid' },
        { type: 'linear', units: 1 },
      ],
    };
    const net = new Network(spec, 3);
    const n = 16;
    const x = randomArray(n * 4, new Rng(5));
    const ws = net.createWorkspace(n);
    const out = net.forward(ws, x, n, 'train');
    computeLoss('mse', out, randomArray(n, new Rng(6)), n, 1, ws.outputGrad);
    net.backward(ws, x);
    const s = backwardSplits(net, ws) as BackwardSplit[];
    for (let i = 0; i < 3; i++) {
      assert.equal(s[i].maxSlope, 0.25);
      assert.equal(s[i].activationBound, 0.25 ** (3 - i));
      let bound = 1;
      for (let k = i; k < 3; k++) bound *= 0.25 * s[k].weightSpectralNorm;
      assert.ok(Math.abs((s[i].rigorousBound as number) / bound - 1) < 1e-14, `${s[i].rigorousBound} vs ${bound}`);
      assert.ok(Math.abs((s[i].gainBound as number) / (0.25 * s[i].weightSpectralNorm) - 1) < 1e-15);
      assert.equal(s[i].batchNormFactor, undefined);
      assert.equal(s[i].residualFactor, undefined);
    }
    // A one-unit output layer: δ_out·W is rank one, so the weight factor is exactly ‖W‖₂ = ‖W‖_F.
    let frob = 0;
    for (const w of net.linearLayers[3].linear.weight.value) frob += w * w;
    assert.ok(Math.abs((s[2].weightFactor as number) / Math.sqrt(frob) - 1) < 1e-14);
    assert.ok(Math.abs(s[2].weightSpectralNorm / Math.sqrt(frob) - 1) < 1e-12);
  });

  it('null where nothing arrives: below a layer whose units are all inactive, the ratios are undefined, not invented', () => {
    const spec: NetworkSpec = {
      inputs: 2,
      layers: [
        { type: 'linear', units: 3 }, { type: 'activation', name: 'tanh' },
        { type: 'linear', units: 3 }, { type: 'activation', name: 'relu' },
        { type: 'linear', units: 1 },
      ],
    };
    const net = new Network(spec, 1);
    // Layer 1's bias far below zero: relu is inactive on every sample, δ_1 = 0.
    net.linearLayers[1].linear.bias!.value.fill(-100);
    const n = 5;
    const x = randomArray(n * 2, new Rng(2));
    const ws = net.createWorkspace(n);
    const out = net.forward(ws, x, n, 'train');
    computeLoss('mse', out, randomArray(n, new Rng(3)), n, 1, ws.outputGrad);
    net.backward(ws, x);
    const [s0, s1] = backwardSplits(net, ws) as BackwardSplit[];
    assert.equal(s1.gain, 0);
    assert.equal(s1.activationFactor, 0);
    assert.ok((s1.weightFactor as number) > 0);
    assert.equal(s1.cumulativeGain, 0);
    assert.equal(s0.gain, null);
    assert.equal(s0.weightFactor, null);
    assert.equal(s0.activationFactor, null);
    assert.equal(s0.cumulativeGain, 0);
    assert.equal(s0.cumulativeActivationFactor, null);
  });

  it('power iteration: warm-started from the last snapshot it converges in a few iterations to the cold value', () => {
    const rows = 32;
    const cols = 32;
    const w = randomArray(rows * cols, new Rng(11), 1 / Math.sqrt(cols));
    const cold = new SpectralNormEstimator(rows, cols);
    const first = cold.estimate(w);
    const coldIterations = cold.lastIterations;
    // A small step's change to the weights, then the warm estimate against a fresh cold one.
    const noise = randomArray(rows * cols, new Rng(12), 1e-4);
    for (let i = 0; i < w.length; i++) w[i] += noise[i];
    const warm = cold.estimate(w);
    const fresh = new SpectralNormEstimator(rows, cols).estimate(w);
    assert.ok(cold.lastIterations < coldIterations / 2, `warm ${cold.lastIterations} vs cold ${coldIterations} iterations`);
    assert.ok(Math.abs(warm / fresh - 1) < 1e-9, `${warm} vs ${fresh}`);
    assert.ok(first > 1.5 && first < 2.3, `‖W‖₂ of a 32×32 matrix with Var 1/32 is near 2: ${first}`);
    // ‖Wv‖ ≤ ‖W‖₂ for every unit v: random directions never beat the estimate.
    const rng = new Rng(13);
    for (let t = 0; t < 200; t++) {
      const v = randomArray(cols, rng);
      let vv = 0;
      for (const e of v) vv += e * e;
      let wv = 0;
      for (let r = 0; r < rows; r++) {
        let s = 0;
        for (let c = 0; c < cols; c++) s += w[r * cols + c] * v[c];
        wv += s * s;
      }
      assert.ok(Math.sqrt(wv / vv) <= warm);
    }
  });
});

describe('low-slope shares: inactive for piecewise-linear activations, saturated for smooth ones', () => {
  function probeOf(activation: 'relu' | 'sigmoid' | 'leaky_relu' | 'hardtanh'): Snapshot['layers'][number] & { zNegative: number } {
    const spec: NetworkSpec = { inputs: 3, layers: [{ type: 'linear', units: 16 }, { type: 'activation', name: activation }, { type: 'linear', units: 1 }] };
    const net = new Network(spec, 4);
    const n = 40;
    const x = randomArray(n * 3, new Rng(8), 3);
    const y = randomArray(n, new Rng(9));
    const trainer = new Trainer(
      { network: spec, loss: 'mse', optimizer: { type: 'sgd', lr: 0.01 }, batchSize: n, epochs: 1, seed: 4 },
      { task: 'regression', d: 3, outputs: 1, inputNames: ['a', 'b', 'c'], targetName: 'y', train: { n, x, y }, val: { n: 0, x: new Float64Array(0), y: new Float64Array(0) }, mean: new Float64Array(3), std: new Float64Array(3).fill(1), notes: [] },
    );
    const snap = trainer.step0Diagnostics();
    // Count z ≤ 0 directly from a forward pass of the same weights.
    const ws = trainer.network.createWorkspace(n);
    trainer.network.forward(ws, x, n, 'batchStats');
    const z = (ws.states[trainer.network.activations[0].id] as ActivationState).z;
    let negative = 0;
    for (let i = 0; i < n * 16; i++) if (z[i] <= 0) negative++;
    void net;
    return { ...snap.layers[0], zNegative: negative / (n * 16) };
  }

  it('relu: its zero side is "inactive" (z ≤ 0 exactly), saturation 0', () => {
    const p = probeOf('relu');
    assert.equal(p.lowSlopeKind, 'inactive');
    assert.equal(p.saturation, 0);
    assert.equal(p.saturatedLow, 0);
    assert.ok(p.zNegative > 0.2 && p.zNegative < 0.8, `${p.zNegative}`);
    assert.equal(p.inactive, p.zNegative);
    assert.equal(p.inactiveLow, p.zNegative);
    assert.equal(p.inactiveHigh, 0);
  });

  it('leaky_relu and hardtanh are piecewise linear too; sigmoid saturates', () => {
    const leaky = probeOf('leaky_relu');
    assert.equal(leaky.lowSlopeKind, 'inactive');
    assert.equal(leaky.inactive, leaky.zNegative);
    const hard = probeOf('hardtanh');
    assert.equal(hard.lowSlopeKind, 'inactive');
    assert.ok(hard.inactiveLow > 0 && hard.inactiveHigh > 0, `${hard.inactiveLow} ${hard.inactiveHigh}`);
    assert.equal(hard.saturation, 0);
    const sig = probeOf('sigmoid');
    assert.equal(sig.lowSlopeKind, 'saturated');
    assert.equal(sig.inactive, 0);
    assert.ok(sig.saturation > 0 && Math.abs(sig.saturation - sig.saturatedLow - sig.saturatedHigh) < 1e-15);
    assert.equal(ACTIVATIONS.sigmoid.piecewiseLinear, undefined);
    assert.equal(ACTIVATIONS.relu.piecewiseLinear, true);
  });
});
