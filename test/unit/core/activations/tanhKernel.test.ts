import { strict as assert } from 'assert';
import { activationForward } from '../../../../src/core/activations/activations';
import { TANH_ONE_FROM, tanhKernel } from '../../../../src/core/activations/tanhKernel';
import { Arena, byteAt } from '../../../../src/core/nn/arena';
import { Rng } from '../../../../src/core/nn/rng';

// The engine's tanh (tanhKernel.ts) and engine.wat's tanhForward must give the same bits, and both must stay close
// to Math.tanh: the gradient tests against PyTorch hold to 1e-9, and this bounds the kernel by 4 ulp.

const SPECIAL = [
  0, -0, NaN, Infinity, -Infinity, TANH_ONE_FROM, -TANH_ONE_FROM, 19.099999999999998, -19.099999999999998, 5e-324, -5e-324,
  1e-310, 2.2250738585072014e-308, 1e-200, 1e-20, 1e-8, 0.3465735902799726, 0.34657359027997264, 0.5493061443340549,
  1, 2, 10, 18.5, 1e300, -1e300, Number.MAX_VALUE,
];

function inputs(count: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  const x = new Float64Array(count);
  x.set(SPECIAL);
  for (let i = SPECIAL.length; i < count; i++) {
    // Magnitudes from 1e-12 to 30 on a log scale, both signs, and a dense band in [−3, 3] where nets live.
    const u = rng.next();
    x[i] = i % 2 === 0 ? (u < 0.5 ? -1 : 1) * 10 ** (-12 + 13.5 * rng.next()) : 6 * u - 3;
  }
  return x;
}

/** |a − b| in units in the last place (both finite, same sign or zero). */
function ulps(a: number, b: number): number {
  const buf = new Float64Array([a, b]);
  const bits = new BigInt64Array(buf.buffer);
  const d = bits[0] - bits[1];
  return Number(d < 0n ? -d : d);
}

describe('the engine\'s tanh', () => {
  it('keeps the special values: ±0 with their sign, NaN, ±1 past 19.1 and at ±∞, denormals as themselves', () => {
    assert.ok(Object.is(tanhKernel(0), 0));
    assert.ok(Object.is(tanhKernel(-0), -0));
    assert.ok(Number.isNaN(tanhKernel(NaN)));
    assert.equal(tanhKernel(Infinity), 1);
    assert.equal(tanhKernel(-Infinity), -1);
    assert.equal(tanhKernel(TANH_ONE_FROM), 1);
    assert.equal(tanhKernel(-40), -1);
    assert.equal(tanhKernel(5e-324), 5e-324);
    assert.equal(tanhKernel(-1e-310), -1e-310);
    assert.equal(tanhKernel(1e-20), 1e-20);
  });

  it('is odd and within 4 ulp of Math.tanh (most values exactly)', () => {
    const x = inputs(400_000, 7);
    let worst = 0;
    let exact = 0;
    for (const v of x) {
      if (Number.isNaN(v)) continue;
      const t = tanhKernel(v);
      assert.ok(Object.is(tanhKernel(-v), -t), `tanh(−${v}) = −tanh(${v})`);
      const u = ulps(t, Math.tanh(v));
      if (u === 0) exact++;
      if (u > worst) worst = u;
      assert.ok(u <= 4, `tanh(${v}) = ${t}, Math.tanh ${Math.tanh(v)}: ${u} ulp`);
    }
    assert.ok(exact > 0.6 * x.length, `${exact} of ${x.length} agree exactly`);
  });

  it('engine.wat\'s tanhForward gives its bits, in place too', () => {
    const arena = Arena.create();
    assert.ok(arena, 'this Node has WebAssembly SIMD and shared memory');
    const n = 20_000;
    const x = inputs(n, 11);
    const z = arena.alloc(n);
    const a = arena.alloc(n);
    z.set(x);
    arena.kernels.tanhForward(byteAt(z), byteAt(a), n);
    for (let i = 0; i < n; i++) assert.ok(Object.is(a[i], tanhKernel(x[i])), `tanhForward(${x[i]}) = ${a[i]}, tanhKernel ${tanhKernel(x[i])}`);
    arena.kernels.tanhForward(byteAt(z), byteAt(z), n);
    for (let i = 0; i < n; i++) assert.ok(Object.is(z[i], a[i]), `in place at ${i}`);
  });

  it('is what the network\'s tanh layers compute (activationForward)', () => {
    const x = inputs(1_001, 3);
    const a = new Float64Array(x.length);
    activationForward('tanh', {}, x, a, x.length);
    for (let i = 0; i < x.length; i++) assert.ok(Object.is(a[i], tanhKernel(x[i])));
  });
});
