import { strict as assert } from 'assert';
import { Arena, byteAt } from '../../../../src/core/nn/arena';
import {
  type EngineBackend, addBias, addSquares, columnSums, engineBackend, gemmNN, gemmNNJs, gemmNT, gemmNTJs, gemmTN, gemmTNJs,
  setEngineBackend,
} from '../../../../src/core/nn/kernels';
import { Lateness, lateAfter, PAUSE_MAX, PAUSE_MIN, type ProductThreads } from '../../../../src/core/nn/productThreads';
import { Trainer } from '../../../../src/core/nn/trainer';
import type { ModuleSpec, OptimizerSpec, TrainSpec } from '../../../../src/core/types';
import { makeData, Rng } from './helpers';

// The resident engine (arrays in a network's WebAssembly memory, engine.wat working on them in place) must give
// exactly the results of the engine before it ('copy') and of plain JS, bit for bit: a seed reproduces a run
// whatever the backend.

function bits(a: ArrayLike<number>): string {
  const f = new Float64Array(Array.from(a));
  return Buffer.from(f.buffer).toString('hex');
}

function filled(arena: Arena | null, n: number, rng: Rng): Float64Array {
  const a = arena ? arena.alloc(n) : new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.normal() * (i % 7 === 3 ? 1e-3 : 1);
  return a;
}

describe('the resident engine (arena + engine.wat)', () => {
  afterEach(() => setEngineBackend('resident'));

  it('runs here (Node has WebAssembly SIMD and shared memory), and the arena\'s arrays are its memory', () => {
    assert.equal(setEngineBackend('resident'), 'resident');
    const arena = Arena.create();
    assert.ok(arena);
    const a = arena.alloc(5);
    const b = arena.alloc(3);
    assert.equal(Arena.of(a), arena);
    assert.equal(Arena.of(b), arena);
    assert.equal(Arena.of(new Float64Array(4)), undefined);
    assert.equal(a.byteOffset % 64, 0);
    assert.equal(b.byteOffset % 64, 0);
    assert.ok(b.byteOffset >= a.byteOffset + 40, 'allocations do not overlap');
    // The offset the kernels are handed is the view's byteOffset; arrays derived from a view are ordinary ones (they
    // take the copying path), so no view claims an arena it was not allocated from.
    assert.equal(byteAt(a), a.byteOffset);
    assert.equal(byteAt(b), b.byteOffset);
    for (const derived of [a.subarray(1), a.slice(), a.map((v) => v)]) {
      assert.equal(Object.getPrototypeOf(derived), Float64Array.prototype);
      assert.equal(Arena.of(derived), undefined);
    }
    // Growing the memory keeps earlier views valid (shared memory never detaches).
    a[4] = 7;
    const big = arena.alloc(1 << 20);
    assert.equal(big.length, 1 << 20);
    assert.equal(Arena.of(big), arena);
    assert.equal(a[4], 7);
    assert.equal(a.length, 5);
  });

  it('products in place equal the JS kernels bit for bit, every shape class (edges, k = 1, accumulate, wide panels)', () => {
    const rng = new Rng(5);
    const arena = Arena.create() as Arena;
    const shapes: [number, number, number][] = [
      [4, 4, 1], [8, 8, 8], [10, 8, 8], [7, 9, 13], [33, 17, 5], [256, 1, 64], [1, 64, 256], [64, 300, 130], [13, 6, 200],
    ];
    for (const [m, n, k] of shapes) {
      for (const accumulate of [false, true]) {
        const cases = [
          { name: 'NN', f: gemmNN, js: gemmNNJs, aLen: m * k, bLen: k * n },
          { name: 'NT', f: gemmNT, js: gemmNTJs, aLen: m * k, bLen: n * k },
          { name: 'TN', f: gemmTN, js: gemmTNJs, aLen: k * m, bLen: k * n },
        ];
        for (const c of cases) {
          const a = filled(arena, c.aLen, rng);
          const b = filled(arena, c.bLen, rng);
          const start = filled(arena, m * n, rng);
          const resident = arena.alloc(m * n);
          resident.set(start);
          const expected = Float64Array.from(start);
          c.f(m, n, k, a, b, resident, accumulate);
          c.js(m, n, k, Float64Array.from(a), Float64Array.from(b), expected, accumulate);
          assert.equal(bits(resident), bits(expected), `${c.name} ${m}×${n}×${k} accumulate=${accumulate}`);
        }
      }
    }
  });

  it('bias add, bias gradient and sums of squares in place equal the scalar loops', () => {
    const rng = new Rng(8);
    const arena = Arena.create() as Arena;
    for (const [n, w] of [[1, 2], [5, 6], [32, 256], [3, 7]]) {
      const z = filled(arena, n * w, rng);
      const b = filled(arena, w, rng);
      const plainZ = Float64Array.from(z);
      addBias(z, b, n, w);
      for (let i = 0; i < n; i++) for (let j = 0; j < w; j++) plainZ[i * w + j] += b[j];
      assert.equal(bits(z), bits(plainZ));
      const db = arena.alloc(w);
      columnSums(z, n, w, db);
      const plainDb = new Float64Array(w);
      for (let i = 0; i < n; i++) for (let j = 0; j < w; j++) plainDb[j] += z[i * w + j];
      assert.equal(bits(db), bits(plainDb));
    }
    for (const len of [16, 17, 1001]) {
      const v = filled(arena, len, rng);
      let s = 0.25;
      for (let i = 0; i < len; i++) s += v[i] * v[i];
      assert.equal(addSquares(0.25, v, len), s);
    }
  });

  const data = makeData(203, 3, (x) => Math.sin(2 * x[0]) + 0.5 * x[1] * x[2]);
  const multi = makeData(150, 3, (x) => (x[0] > 0.5 ? 2 : x[0] > -0.5 ? 1 : 0), { task: 'multiclass', classes: 3 });
  const nets: { name: string; layers: ModuleSpec[]; batchSize?: number }[] = [
    {
      name: 'relu 3-24-16-1',
      layers: [{ type: 'linear', units: 24 }, { type: 'activation', name: 'relu' }, { type: 'linear', units: 16 },
        { type: 'activation', name: 'relu' }, { type: 'linear', units: 1 }],
    },
    {
      name: 'tanh and sigmoid, odd widths and batch (odd tails)',
      batchSize: 7,
      layers: [{ type: 'linear', units: 9 }, { type: 'activation', name: 'tanh' }, { type: 'linear', units: 13 },
        { type: 'activation', name: 'sigmoid' }, { type: 'linear', units: 1 }],
    },
    {
      name: 'batch norm, PReLU, dropout, residual with projection',
      layers: [
        { type: 'linear', units: 16 }, { type: 'batchnorm' }, { type: 'activation', name: 'prelu', perUnit: true },
        { type: 'dropout', p: 0.2 },
        { type: 'residual', layers: [{ type: 'linear', units: 12 }, { type: 'activation', name: 'relu' }] },
        { type: 'linear', units: 1 },
      ],
    },
    {
      // batch norm's and dropout's outputs live in the arena: the ReLU and tanh after them run in engine.wat
      name: 'batch norm then ReLU and tanh, dropout then ReLU',
      layers: [
        { type: 'linear', units: 18 }, { type: 'batchnorm' }, { type: 'activation', name: 'relu' },
        { type: 'linear', units: 10 }, { type: 'batchnorm' }, { type: 'activation', name: 'tanh' },
        { type: 'dropout', p: 0.3 }, { type: 'activation', name: 'relu' }, { type: 'linear', units: 1 },
      ],
    },
  ];
  const optimizers: OptimizerSpec[] = [
    { type: 'sgd', lr: 0.05 },
    { type: 'momentum', lr: 0.02, nesterov: true, weightDecay: 1e-3 },
    { type: 'adam', lr: 0.01, weightDecay: 1e-4, clipNorm: 0.5 },
    { type: 'adamw', lr: 0.01 },
  ];

  function run(backend: EngineBackend, spec: TrainSpec, prepared = data): { trace: string[]; params: string } {
    assert.equal(setEngineBackend(backend), backend);
    const t = new Trainer(spec, prepared);
    assert.equal(t.network.arena !== null, backend === 'resident', 'only the resident engine gives the network an arena');
    const trace: string[] = [JSON.stringify(t.snapshot())];
    for (let i = 0; i < 4; i++) {
      t.runSteps(7);
      trace.push(JSON.stringify(t.snapshot()));
    }
    t.setBatchSize(64); // the workspace grows (in the arena, for the resident engine)
    t.runSteps(3);
    trace.push(JSON.stringify(t.snapshot()), JSON.stringify(t.step0Diagnostics()));
    const params = t.network.parameters.map((p) => bits(p.value)).join('|');
    return { trace, params };
  }

  for (const net of nets) {
    for (const optimizer of optimizers) {
      it(`trains ${net.name} with ${optimizer.type} to the same bits on the resident, copy and js engines`, () => {
        const spec: TrainSpec = {
          network: { inputs: 3, layers: net.layers }, loss: 'mse', optimizer, batchSize: net.batchSize ?? 20, epochs: 2, seed: 9, snapshotEvery: 0,
        };
        const resident = run('resident', spec);
        const copy = run('copy', spec);
        const js = run('js', spec);
        assert.deepEqual(resident.trace, copy.trace);
        assert.equal(resident.params, copy.params);
        assert.deepEqual(resident.trace, js.trace);
        assert.equal(resident.params, js.params);
      });
    }
  }

  it('a wide relu net (products past every threshold, 4 × 4 tiles and panels) and cross entropy match bit for bit', () => {
    const spec: TrainSpec = {
      network: {
        inputs: 3,
        layers: [{ type: 'linear', units: 130 }, { type: 'activation', name: 'relu' }, { type: 'linear', units: 66 },
          { type: 'activation', name: 'relu' }, { type: 'linear', units: 3 }],
      },
      loss: 'cross_entropy', optimizer: { type: 'adam', lr: 0.003 }, batchSize: 48, epochs: 2, seed: 4, snapshotEvery: 0,
    };
    const resident = run('resident', spec, multi);
    assert.equal(engineBackend(), 'resident');
    const copy = run('copy', spec, multi);
    assert.deepEqual(resident.trace, copy.trace);
    assert.equal(resident.params, copy.params);
  });

  it('splits a wide net\'s products across 2 threads (helpers on the same memory) with the 1-thread bits', async function () {
    this.timeout(60000);
    setEngineBackend('resident');
    const wide = makeData(260, 8, (x) => Math.sin(x[0]) + x[1] * x[2] - 0.3 * x[7]);
    const spec: TrainSpec = {
      network: {
        inputs: 8,
        layers: [{ type: 'linear', units: 128 }, { type: 'activation', name: 'relu' }, { type: 'linear', units: 132 },
          { type: 'activation', name: 'relu' }, { type: 'linear', units: 1 }],
      },
      loss: 'mse', optimizer: { type: 'momentum', lr: 0.01 }, batchSize: 64, epochs: 1, seed: 3, snapshotEvery: 0,
    };
    const steps = (t: Trainer): string => {
      t.runSteps(6);
      return JSON.stringify(t.snapshot()) + t.network.parameters.map((p) => bits(p.value)).join('|');
    };
    const one = new Trainer(spec, wide, { threads: 1 });
    assert.equal(one.threads, 1);
    const expected = steps(one);
    const two = new Trainer(spec, wide, { threads: 2 });
    try {
      assert.equal(two.threads, 2);
      const threads = two.network.arena?.threads;
      assert.ok(threads);
      const started = Date.now();
      while (threads.readyThreads() < 2 && Date.now() - started < 30000) await new Promise((r) => setTimeout(r, 20));
      assert.equal(threads.readyThreads(), 2, 'the helper thread started');
      assert.equal(steps(two), expected);
      assert.ok(threads.splitCount > 0, 'products were split');
    } finally {
      two.dispose();
    }
    assert.equal(two.threads, 1, 'dispose ends the helpers');
    // Wide enough for the element-wise steps to be shared out too (ReLU, tanh′, sigmoid′, bias add, the transposes:
    // 128 rows × 256 units), with odd widths for the tails; Adam for a second optimizer.
    const wider: TrainSpec = {
      ...spec, batchSize: 128, optimizer: { type: 'adam', lr: 0.003 },
      network: {
        inputs: 8,
        layers: [{ type: 'linear', units: 256 }, { type: 'activation', name: 'relu' }, { type: 'linear', units: 258 },
          { type: 'activation', name: 'tanh' }, { type: 'linear', units: 257 }, { type: 'activation', name: 'sigmoid' },
          { type: 'linear', units: 1 }],
      },
    };
    const wideExpected = steps(new Trainer(wider, wide, { threads: 1 }));
    const wideTwo = new Trainer(wider, wide, { threads: 2 });
    try {
      const threads = wideTwo.network.arena?.threads as ProductThreads;
      const started = Date.now();
      while (threads.readyThreads() < 2 && Date.now() - started < 30000) await new Promise((r) => setTimeout(r, 20));
      assert.equal(steps(wideTwo), wideExpected);
      assert.ok(threads.elementwiseSplits > 0, 'element-wise steps were split');
    } finally {
      wideTwo.dispose();
    }
    // A narrow net starts no helper: its products would not repay the hand-over.
    const narrow = new Trainer({ ...spec, network: { inputs: 8, layers: [{ type: 'linear', units: 1 }] } }, wide, { threads: 2 });
    assert.equal(narrow.threads, 1);
  });

  it('a helper that keeps finishing late (no free core) leaves this thread alone for a while, longer each time', () => {
    assert.equal(lateAfter(1, 1.5), false, 'a little behind: a wake-up');
    assert.equal(lateAfter(1, 2), true, 'twice as long again: it waited for a core');
    const l = new Lateness();
    const pause = (): number => {
      let n = 0;
      while (l.runAlone()) n++;
      return n;
    };
    const late = (n: number) => { for (let i = 0; i < n; i++) l.record(true); };
    late(3);
    l.record(false);
    late(3);
    assert.equal(pause(), 0, 'a quiet machine\'s stalls, a few in a row: keep splitting');
    late(1);
    assert.equal(l.pauses, 1);
    assert.equal(pause(), PAUSE_MIN, 'seven late of the last eight: a short pause');
    late(7);
    assert.equal(pause(), 2 * PAUSE_MIN, 'late again right after: twice as long');
    for (let k = 0; k < 20; k++) late(7);
    assert.equal(pause(), PAUSE_MAX, 'never longer than PAUSE_MAX');
    for (let i = 0; i < 16; i++) l.record(false);
    late(7);
    assert.equal(pause(), PAUSE_MIN, 'a stretch on time starts over from the short pause');
  });

  it('an arena given back to a mark hands its memory out again zeroed, and forgets a scratch array past the mark', () => {
    const arena = Arena.create() as Arena;
    arena.alloc(10).fill(7);
    const mark = arena.mark();
    const before = arena.alloc(5000);
    before.fill(3);
    const scratch = arena.scratch(64);
    scratch.fill(9);
    arena.release(mark);
    assert.equal(arena.used, mark);
    const again = arena.alloc(6000);
    assert.equal(byteAt(again), byteAt(before), 'the same bytes again');
    assert.ok(again.every((v) => v === 0), 'zeroed, past the old end too');
    const scratchAgain = arena.scratch(64);
    assert.notEqual(byteAt(scratchAgain), byteAt(scratch), 'a fresh scratch array, not one inside `again`');
    assert.ok(scratchAgain.every((v) => v === 0));
  });
});
