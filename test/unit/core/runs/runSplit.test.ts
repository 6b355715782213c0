// The gradient-loss split of a PyTorch run: the reader's BackwardSplit against torch.autograd.grad's norms, which
// test/python/make_fixture.py computed on a functional copy of the same forward pass (sigmoid-mlp.reference.json).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { RunLogParser, readRunLogFile } from '../../../../src/core/runs/runLog';
import { SPLIT_NOTE, runNotes, runWarnings } from '../../../../src/core/runs/runAnalysis';

const DIR = path.join(__dirname, '..', '..', 'pytorch', 'fixtures');
const reference = JSON.parse(fs.readFileSync(path.join(DIR, 'sigmoid-mlp.reference.json'), 'utf8')) as {
  steps: Record<string, Record<string, number>>;
  spectralNorm: Record<string, Record<string, number>>;
};

function close(actual: number | null | undefined, expected: number, rel: number, what: string): void {
  assert.ok(typeof actual === 'number', `${what}: ${String(actual)}`);
  assert.ok(Math.abs(actual - expected) <= rel * Math.abs(expected), `${what}: ${actual} vs ${expected}`);
}

describe('core/runs gradient-loss split', () => {
  const state = readRunLogFile(path.join(DIR, 'sigmoid-mlp.jsonl'));

  it('splits every chain Linear → sigmoid → Linear as autograd does', () => {
    assert.deepEqual(state.snapshots.map(s => s.step), [0, 5, 10]);
    for (const s of state.snapshots) {
      const ref = reference.steps[String(s.step)];
      const [l0, l2, l4] = s.layers;
      // float32 norms printed and read back: the same numbers, so ratios agree to rounding
      close(l0.deltaNorm, ref['0'], 1e-12, `δ of 0 at ${s.step}`);
      close(l4.deltaNorm, ref['4'], 1e-12, `δ of 4 at ${s.step}`);
      for (const [layer, z, a, next] of [[l0, '0', '1', '2'], [l2, '2', '3', '4']] as const) {
        const b = layer.backward;
        assert.ok(b, `split of ${layer.name} at ${s.step}`);
        close(b.gain, ref[z] / ref[next], 1e-9, 'gain');
        close(b.activationFactor, ref[z] / ref[a], 1e-9, 'activationFactor');
        close(b.weightFactor, ref[a] / ref[next], 1e-9, 'weightFactor');
        close(b.gain, b.activationFactor! * b.weightFactor!, 1e-12, 'gain = activation × weight');
        assert.ok(b.activationFactor! <= 0.25 * (1 + 1e-9), 'sigmoid passes at most ¼');
        assert.equal(b.maxSlope, 0.25);
        // ‖W‖₂ from below (power iteration), never under the weight factor, within 1e-4 of the exact value
        const exact = reference.spectralNorm[String(s.step)][next];
        assert.ok(b.weightSpectralNorm <= exact * (1 + 1e-6) && b.weightSpectralNorm >= exact * (1 - 1e-4), `‖W${next}‖₂ ${b.weightSpectralNorm} vs ${exact}`);
        assert.ok(b.weightFactor! <= b.weightSpectralNorm * (1 + 1e-6));
        close(b.gainBound, 0.25 * b.weightSpectralNorm, 1e-12, 'gainBound');
        close(b.cumulativeGain, ref[z] / ref['4'], 1e-9, 'cumulativeGain');
        assert.ok(b.rigorousBound! >= b.cumulativeGain!, 'the bound holds');
      }
      assert.equal(l4.backward, undefined, 'the output module has no next layer');
      close(l0.backward!.cumulativeActivationFactor, l0.backward!.activationFactor! * l2.backward!.activationFactor!, 1e-12, 'product to the output');
      close(l0.backward!.activationBound, 1 / 16, 1e-12, '¼ per sigmoid');
    }
    assert.ok(!runNotes(state, runWarnings(state)).includes(SPLIT_NOTE), 'no "split unavailable" note when it is shown');
  });

  it('without the chain fields (an older gradscope) there is no split, and the note says why', () => {
    const parser = new RunLogParser();
    const stripped = fs.readFileSync(path.join(DIR, 'sigmoid-mlp.jsonl'), 'utf8').split('\n').map(line => {
      if (line === '') return line;
      const r = JSON.parse(line);
      if (r.type === 'snapshot') for (const a of r.activations) { delete a.from; delete a.to; }
      return JSON.stringify(r);
    }).join('\n');
    parser.feed(Buffer.from(stripped));
    assert.equal(parser.state.snapshots.length, 3);
    assert.ok(parser.state.snapshots.every(s => s.layers.every(l => l.backward === undefined)));
    assert.ok(runNotes(parser.state, runWarnings(parser.state)).includes(SPLIT_NOTE));
  });

  it('a chain whose activation output also went elsewhere ("to" absent) is not split', () => {
    const parser = new RunLogParser();
    const lines = fs.readFileSync(path.join(DIR, 'sigmoid-mlp.jsonl'), 'utf8').split('\n').map(line => {
      if (line === '') return line;
      const r = JSON.parse(line);
      if (r.type === 'snapshot') delete r.activations[1].to;
      return JSON.stringify(r);
    }).join('\n');
    parser.feed(Buffer.from(lines));
    for (const s of parser.state.snapshots) {
      assert.ok(s.layers[0].backward !== undefined);
      assert.equal(s.layers[1].backward, undefined);
      // the run to the output is broken below layer 0: its activations' cumulative part is unknown
      assert.equal(s.layers[0].backward!.cumulativeActivationFactor, null);
      assert.equal(s.layers[0].backward!.rigorousBound, undefined);
    }
  });
});
