// Cross-check: a run written by python/gradscope (test/python/make_fixture.py) parses as plain JSON, and its
// saturation numbers agree with the core's activation table.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ACTIVATIONS, SATURATION_SHARE } from '../../../src/core/activations/activations';

const lines = fs.readFileSync(path.join(__dirname, 'fixtures', 'sigmoid-mlp.jsonl'), 'utf8').split('\n');

describe('pytorch run (python/gradscope JSONL)', () => {
  const records = lines.filter((l) => l !== '').map((l) => JSON.parse(l));

  it('is a meta record, snapshots at every-th steps, an end record', () => {
    assert.equal(records[0].type, 'meta');
    assert.equal(records[0].format, 1);
    assert.deepEqual(records.filter((r) => r.type === 'snapshot').map((r) => r.step), [0, 5, 10]);
    assert.equal(records.at(-1).type, 'end');
  });

  it('uses the core table for the cut-off and the split', () => {
    const sigmoid = ACTIVATIONS.sigmoid;
    for (const m of records[0].modules.filter((x: { activation?: unknown }) => x.activation)) {
      assert.equal(m.activation.name, 'sigmoid');
      assert.equal(m.activation.maxSlope, sigmoid.maxSlopeOf({}));
      assert.equal(m.activation.threshold, SATURATION_SHARE * sigmoid.maxSlopeOf({}));
      assert.ok(Math.abs(m.activation.split - sigmoid.saturates.split) < 1e-9);
    }
  });

  it('saturation agrees with the table on the recorded z summary', () => {
    const { low, high } = ACTIVATIONS.sigmoid.saturates;
    let sawBoth = false;
    for (const s of records.filter((r) => r.type === 'snapshot')) {
      for (const a of s.activations) {
        const z = a.z;
        assert.ok(Math.abs(a.saturation - (a.saturatedLow + a.saturatedHigh)) < 1e-12);
        // nothing below the low tail's end: nothing saturated low, and likewise high
        if (z.min > low![1]) assert.equal(a.saturatedLow, 0);
        if (z.max < high![0]) assert.equal(a.saturatedHigh, 0);
        // a share q of the values below the tail's end (percentile) means at least about q saturated
        const q = [0, 6.68, 15.87, 30.85, 50, 69.15, 84.13, 93.32, 100];
        z.percentiles.forEach((p: number, i: number) => {
          if (p < low![1] && i > 0 && i < 8) assert.ok(a.saturatedLow >= q[i] / 100 - 0.05, `${a.name} low`);
          if (p > high![0] && i > 0 && i < 8) assert.ok(a.saturatedHigh >= (100 - q[i]) / 100 - 0.05, `${a.name} high`);
        });
        // f′ at the extremes, by the table: saturated there exactly when below 5 % of the peak
        const threshold = SATURATION_SHARE * ACTIVATIONS.sigmoid.maxSlopeOf({});
        if (ACTIVATIONS.sigmoid.df(z.min, {}) < threshold) assert.ok(a.saturatedLow > 0);
        if (ACTIVATIONS.sigmoid.df(z.max, {}) < threshold) assert.ok(a.saturatedHigh > 0);
        if (a.saturatedLow > 0 && a.saturatedHigh > 0) sawBoth = true;
      }
    }
    assert.ok(sawBoth, 'the fixture saturates on both sides somewhere');
  });
});
