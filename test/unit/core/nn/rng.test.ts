import { strict as assert } from 'assert';
import { Rng, deriveSeed } from '../../../../src/core/nn/rng';
import { initWeight, initStd, INIT_NAMES } from '../../../../src/core/nn/init';
import type { InitSpec } from '../../../../src/core/types';

describe('rng', () => {
  it('same seed gives the same stream; different seeds and streams differ', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const xa = Array.from({ length: 50 }, () => a.next());
    const xb = Array.from({ length: 50 }, () => b.next());
    const xc = Array.from({ length: 50 }, () => c.next());
    assert.deepEqual(xa, xb);
    assert.notDeepEqual(xa, xc);
    assert.notEqual(deriveSeed(42, 1), deriveSeed(42, 2));
  });

  it('uniforms lie in [0, 1) with mean 1/2 and variance 1/12', () => {
    const r = new Rng(7);
    const n = 200000;
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const u = r.next();
      assert.ok(u >= 0 && u < 1);
      s += u;
      s2 += u * u;
    }
    const mean = s / n;
    assert.ok(Math.abs(mean - 0.5) < 0.005, `mean ${mean}`);
    assert.ok(Math.abs(s2 / n - mean * mean - 1 / 12) < 0.002);
  });

  it('normals have mean 0, variance 1 and normal tails', () => {
    const r = new Rng(3);
    const n = 200000;
    let s = 0;
    let s2 = 0;
    let beyond2 = 0;
    for (let i = 0; i < n; i++) {
      const z = r.normal();
      s += z;
      s2 += z * z;
      if (Math.abs(z) > 2) beyond2++;
    }
    assert.ok(Math.abs(s / n) < 0.01);
    assert.ok(Math.abs(s2 / n - 1) < 0.015);
    // P(|Z| > 2) = 0.0455
    assert.ok(Math.abs(beyond2 / n - 0.0455) < 0.003, `${beyond2 / n}`);
  });

  it('int is unbiased and shuffle is a permutation; state round-trips', () => {
    const r = new Rng(11);
    const counts = [0, 0, 0];
    for (let i = 0; i < 30000; i++) counts[r.int(3)]++;
    for (const c of counts) assert.ok(Math.abs(c - 10000) < 400);
    const arr = Array.from({ length: 100 }, (_, i) => i);
    r.shuffle(arr);
    assert.deepEqual([...arr].sort((x, y) => x - y), Array.from({ length: 100 }, (_, i) => i));
    assert.notDeepEqual(arr, Array.from({ length: 100 }, (_, i) => i));
    r.normal();
    const st = r.getState();
    const next = [r.normal(), r.next()];
    r.setState(st);
    assert.deepEqual([r.normal(), r.next()], next);
  });
});

describe('init', () => {
  const fanIn = 300;
  const fanOut = 200;
  const expectedStd: Record<string, number> = {
    xavier_uniform: Math.sqrt(6 / 500) / Math.sqrt(3),
    xavier_normal: Math.sqrt(2 / 500),
    he_uniform: Math.sqrt(6 / 300) / Math.sqrt(3),
    he_normal: Math.sqrt(2 / 300),
    lecun_normal: Math.sqrt(1 / 300),
    normal: 0.3,
    uniform: 0.7 / Math.sqrt(3),
    zeros: 0,
  };
  for (const name of INIT_NAMES) {
    it(`${name} draws with PyTorch's spread`, () => {
      const spec: InitSpec = { type: name, std: 0.3, a: 0.7 };
      const w = new Float64Array(fanIn * fanOut);
      initWeight(w, fanOut, fanIn, spec, new Rng(5));
      let s2 = 0;
      let maxAbs = 0;
      for (const v of w) {
        s2 += v * v;
        maxAbs = Math.max(maxAbs, Math.abs(v));
      }
      const std = Math.sqrt(s2 / w.length);
      assert.ok(Math.abs(std - expectedStd[name]) <= 0.01 * expectedStd[name] + 1e-15, `${name}: ${std}`);
      assert.ok(Math.abs(initStd(spec, fanIn, fanOut) - expectedStd[name]) < 1e-15);
      if (name.endsWith('uniform')) assert.ok(maxAbs <= expectedStd[name] * Math.sqrt(3));
    });
  }
});
