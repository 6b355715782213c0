// The PyTorch run-log reader: a committed run written by python/gradscope, and the bad inputs a tail meets.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RunLogParser, RunLogTail, readRunLogFile, thinSnapshots } from '../../../../src/core/runs/runLog';
import { moduleTable, runLiveness, runNotes, runReadingNotes, runWarnings } from '../../../../src/core/runs/runAnalysis';

const FIXTURE = path.join(__dirname, '..', '..', 'pytorch', 'fixtures', 'sigmoid-mlp.jsonl');
const text = fs.readFileSync(FIXTURE, 'utf8');
const records = text.split('\n').filter(l => l !== '').map(l => JSON.parse(l));

function meta(modules: unknown[], format = 1): string {
  return JSON.stringify({ type: 'meta', format, name: 'm', modules }) + '\n';
}
const linear = (name: string, out: number, inp: number) => ({ name, type: 'Linear', params: [{ name: 'weight', shape: [out, inp] }, { name: 'bias', shape: [out] }] });
const sigmoid = (name: string) => ({ name, type: 'Sigmoid', params: [], activation: { name: 'sigmoid', params: {}, maxSlope: 0.25, threshold: 0.0125, split: 0 } });
function snap(step: number, norms: number[], names: string[]): string {
  return JSON.stringify({ type: 'snapshot', step, loss: 1 / (step + 1), layers: names.map((name, i) => ({ name, type: 'Linear', gradNorm: norms[i], biasGradNorm: 0.1, weightNorm: 1, updateRatio: null, gradMeanAbs: 0, gradMaxAbs: 0 })), activations: [] }) + '\n';
}

describe('core/runs/runLog', () => {
  it('reads the fixture: modules in model order, names as labels, values exactly as logged', () => {
    const state = readRunLogFile(FIXTURE);
    assert.deepEqual(state.layers.map(l => [l.name, l.type, l.units, l.fanIn, l.activation, l.activationModule]),
      [['0', 'Linear', 8, 2, 'sigmoid', '1'], ['2', 'Linear', 8, 8, 'sigmoid', '3'], ['4', 'Linear', 1, 8, 'linear', undefined]]);
    assert.deepEqual(state.snapshots.map(s => s.step), [0, 5, 10]);
    const first = records[1];
    const s0 = state.snapshots[0];
    assert.equal(s0.loss, first.loss);
    assert.equal(s0.layers[1].gradNorm, first.layers[1].gradNorm);
    assert.equal(s0.layers[0].name, '0');
    assert.equal(s0.layers[0].saturation, first.activations[0].saturation);
    assert.equal(s0.layers[0].saturatedHigh, first.activations[0].saturatedHigh);
    assert.equal(s0.layers[0].lowSlopeKind, 'saturated');
    assert.deepEqual(s0.layers[0].z.percentiles, first.activations[0].z.percentiles);
    assert.equal(s0.layers[2].lowSlopeKind, 'none');
    assert.equal(s0.layers[0].updateRatio, 0, 'null on the first snapshot');
    assert.deepEqual(state.end, { step: 10, steps: 11, reason: 'close', time: records.at(-1).time });
    assert.deepEqual(state.issues, []);
  });

  it('a truncated last line waits for its newline, then is read', () => {
    const cut = text.lastIndexOf('{"type":"snapshot"');
    const parser = new RunLogParser();
    parser.feed(Buffer.from(text.slice(0, cut + 100)));
    assert.equal(parser.state.snapshots.length, 2);
    assert.equal(parser.state.pendingBytes, 100);
    assert.equal(parser.state.offset, Buffer.byteLength(text.slice(0, cut)));
    assert.deepEqual(parser.state.issues, []);
    const added = parser.feed(Buffer.from(text.slice(cut + 100)));
    assert.deepEqual(added.map(s => s.step), [10]);
    assert.equal(parser.state.end?.reason, 'close');
  });

  it('a file cut off mid-line (read whole) reports the last line and shows the rest', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runlog-'));
    const file = path.join(dir, 'cut.jsonl');
    fs.writeFileSync(file, text.slice(0, text.lastIndexOf('{"type":"end"') - 40));
    const state = readRunLogFile(file);
    assert.deepEqual(state.snapshots.map(s => s.step), [0, 5]);
    assert.equal(state.issues.length, 1);
    assert.match(state.issues[0].message, /last line is incomplete/);
    assert.equal(state.issues[0].line, 4);
  });

  it('a file that is not a run: one located error, nothing drawn, the lines after it not read', () => {
    const parser = new RunLogParser();
    parser.feed(Buffer.from('a,b,c\n1,2,3\n'));
    parser.feed(Buffer.from(snap(0, [1], ['0']) + meta([linear('fc', 2, 2)]) + '4,5'));
    parser.finish();
    assert.equal(parser.state.meta, undefined);
    assert.equal(parser.state.snapshots.length, 0);
    assert.equal(parser.state.issues.length, 1);
    assert.equal(parser.state.issues[0].severity, 'error');
    assert.match(parser.state.issues[0].message, /^line 1 is not JSON .*not a gradscope run log/);
    assert.equal(parser.state.pendingBytes, 0);
  });

  it('a file that starts with a snapshot (no meta record, e.g. gradscope train --json): one error on line 1', () => {
    const parser = new RunLogParser();
    parser.feed(Buffer.from(snap(0, [1], ['0']) + snap(1, [2], ['0'])));
    assert.equal(parser.state.snapshots.length, 0);
    assert.deepEqual(parser.state.issues.map(i => [i.line, i.severity]), [[1, 'error']]);
    assert.match(parser.state.issues[0].message, /^line 1: a snapshot before any meta record/);
  });

  it('blank lines before the meta record do not decide: the run is read', () => {
    const parser = new RunLogParser();
    parser.feed(Buffer.from('\n\n' + meta([linear('fc', 2, 2)]) + snap(0, [1], ['fc'])));
    assert.equal(parser.state.snapshots.length, 1);
    assert.deepEqual(parser.state.issues, []);
  });

  it('an activation belongs to the module that fed it in the forward pass, not the one registered before it', () => {
    // nn.TransformerEncoderLayer: linear1, linear2, norm1, norm2, then activation, which forward() calls between
    // linear1 and linear2; the watcher records that the activation's input was linear1's output (`from`)
    const gelu = { name: 'activation', type: 'GELU', params: [], activation: { name: 'gelu', params: {}, maxSlope: 1.13, threshold: 0.056, split: -0.75 } };
    const norm = (name: string) => ({ name, type: 'LayerNorm', params: [{ name: 'weight', shape: [4] }, { name: 'bias', shape: [4] }] });
    const parser = new RunLogParser();
    parser.feed(Buffer.from(meta([linear('linear1', 8, 4), linear('linear2', 4, 8), norm('norm1'), norm('norm2'), gelu])));
    assert.deepEqual(parser.state.layers.map(l => l.activationModule), [undefined, undefined, undefined, 'activation'], 'the guess from order');
    const layout = parser.state.layout;
    const record = JSON.parse(snap(0, [1, 1, 1, 1], ['linear1', 'linear2', 'norm1', 'norm2']));
    record.activations = [{ name: 'activation', from: 'linear1', to: null, units: 8, elements: 16, calls: 1, saturation: 0.25, saturatedLow: 0.25, saturatedHigh: 0, dead: 0 }];
    parser.feed(Buffer.from(JSON.stringify(record) + '\n'));
    assert.deepEqual(parser.state.layers.map(l => [l.name, l.activation, l.activationModule]),
      [['linear1', 'gelu', 'activation'], ['linear2', 'linear', undefined], ['norm1', 'linear', undefined], ['norm2', 'linear', undefined]]);
    assert.equal(parser.state.layout, layout + 1, 'a view starts over with the new pairing');
    assert.equal(parser.state.snapshots[0].layers[0].saturation, 0.25);
    assert.match(moduleTable(parser.state).split('\n')[1], /^linear1 +Linear +8 +gelu \(activation\)/);
    // later snapshots do not move it again
    parser.feed(Buffer.from(JSON.stringify({ ...record, step: 1, activations: [{ ...record.activations[0], from: 'norm2' }] }) + '\n'));
    assert.equal(parser.state.layers[0].activationModule, 'activation');
    assert.equal(parser.state.layout, layout + 1);
  });

  it('one activation module called after several layers: each layer shows the calls it fed', () => {
    const tanh = { name: 'act', type: 'Tanh', params: [], activation: { name: 'tanh', params: {}, maxSlope: 1, threshold: 0.05, split: 0 } };
    const parser = new RunLogParser();
    parser.feed(Buffer.from(meta([tanh, linear('fc1', 4, 2), linear('fc2', 4, 4), linear('fc3', 1, 4)])));
    const record = JSON.parse(snap(0, [1, 1, 1], ['fc1', 'fc2', 'fc3']));
    const dist = (mean: number) => ({ mean, std: 1, min: -1, max: 1, percentiles: [-1, -0.5, -0.4, -0.2, 0, 0.2, 0.4, 0.5, 1], histogram: null });
    record.activations = [{
      name: 'act', units: 4, calls: 2, elements: 16, saturation: 0.5, saturatedLow: 0.25, saturatedHigh: 0.25, dead: 0, z: dist(0), a: dist(0),
      bySource: [
        { from: 'fc1', calls: 1, elements: 8, saturation: 0.125, saturatedLow: 0.125, saturatedHigh: 0, dead: 0, z: dist(0.1), a: dist(0.05) },
        { from: 'fc2', calls: 1, elements: 8, saturation: 0.875, saturatedLow: 0.375, saturatedHigh: 0.5, dead: 0.25, z: dist(2), a: dist(0.9) },
      ],
    }];
    parser.feed(Buffer.from(JSON.stringify(record) + '\n'));
    assert.deepEqual(parser.state.layers.map(l => [l.name, l.activation, l.activationModule, l.activationGroup]),
      [['fc1', 'tanh', 'act', 0], ['fc2', 'tanh', 'act', 1], ['fc3', 'linear', undefined, undefined]]);
    const [fc1, fc2, fc3] = parser.state.snapshots[0].layers;
    assert.deepEqual([fc1.saturation, fc1.saturatedLow, fc1.z.mean, fc1.a.mean], [0.125, 0.125, 0.1, 0.05]);
    assert.deepEqual([fc2.saturation, fc2.saturatedHigh, fc2.dead, fc2.z.mean], [0.875, 0.5, 0.25, 2]);
    assert.equal(fc3.saturation, 0);
    assert.match(moduleTable(parser.state).split('\n')[2], /^fc2 +Linear +4 +tanh \(act, shared\) /);
  });

  it('a lazy module: units and fan-in from the first snapshot that gives its shape, the type it became', () => {
    const parser = new RunLogParser();
    parser.feed(Buffer.from(meta([{ name: 'fc', type: 'LazyLinear', params: [{ name: 'weight', shape: null }, { name: 'bias', shape: null }] }])));
    assert.deepEqual(parser.state.layers.map(l => [l.units, l.fanIn, l.type]), [[1, 1, 'LazyLinear']]);
    const layout = parser.state.layout;
    const record = JSON.parse(snap(0, [1], ['fc']));
    record.layers[0].shape = [8, 5];
    parser.feed(Buffer.from(JSON.stringify(record) + '\n' + snap(1, [2], ['fc'])));
    assert.deepEqual(parser.state.layers.map(l => [l.units, l.fanIn, l.type]), [[8, 5, 'Linear']]);
    assert.equal(parser.state.layout, layout + 1);
    assert.equal(parser.state.snapshots.length, 2);
  });

  it('a weight_norm module: units and fan-in from weight_v (python/gradscope measures it), not from the bias listed first', () => {
    const parser = new RunLogParser();
    parser.feed(Buffer.from(meta([{ name: 'conv', type: 'Conv1d', params: [{ name: 'bias', shape: [8] }, { name: 'weight_g', shape: [8, 1, 1] }, { name: 'weight_v', shape: [8, 4, 3] }] }])));
    assert.deepEqual(parser.state.layers.map(l => [l.name, l.units, l.fanIn]), [['conv', 8, 12]]);
  });

  it('an activation whose input came through a functional op keeps the pairing from the modules\' order', () => {
    const parser = new RunLogParser();
    parser.feed(Buffer.from(meta([linear('fc1', 4, 2), sigmoid('act'), linear('fc2', 1, 4)])));
    const layout = parser.state.layout;
    const record = JSON.parse(snap(0, [1, 1], ['fc1', 'fc2']));
    record.activations = [{ name: 'act', from: null, to: 'fc2', units: 4, elements: 8, calls: 1, saturation: 0.5, saturatedLow: 0.5, saturatedHigh: 0, dead: 0 }];
    parser.feed(Buffer.from(JSON.stringify(record) + '\n'));
    assert.deepEqual(parser.state.layers.map(l => l.activationModule), ['act', undefined]);
    assert.equal(parser.state.layout, layout);
  });

  it('garbage in the middle is skipped with its line number; later lines still read', () => {
    const parser = new RunLogParser();
    parser.feed(Buffer.from(meta([linear('fc', 2, 2)]) + snap(0, [1], ['fc']) + '{"type":"snap\u0000\n' + '[1,2]\n' + snap(1, [2], ['fc'])));
    assert.deepEqual(parser.state.snapshots.map(s => s.layers[0].gradNorm), [1, 2]);
    assert.deepEqual(parser.state.issues.map(i => i.line), [3, 4]);
  });

  it('a newer format: a warning naming both versions, and what it recognises is shown', () => {
    const parser = new RunLogParser();
    parser.feed(Buffer.from(meta([linear('fc', 2, 2)], 2) + snap(0, [0.5], ['fc']) + '{"type":"checkpoint"}\n'));
    assert.match(parser.state.issues[0].message, /newer gradscope \(format 2\); this extension reads format 1/);
    assert.equal(parser.state.snapshots[0].layers[0].gradNorm, 0.5);
    assert.match(parser.state.issues[1].message, /^line 3: unknown record type "checkpoint"/);
  });

  it('a model with no parameterized modules: a clear message, the loss still read', () => {
    const parser = new RunLogParser();
    parser.feed(Buffer.from(meta([{ name: '', type: 'Sigmoid', params: [], activation: { name: 'sigmoid' } }]) + snap(3, [], [])));
    assert.match(parser.state.issues[0].message, /^line 1: the model has no modules that own parameters/);
    assert.equal(parser.state.snapshots[0].loss, 0.25);
    assert.equal(parser.state.snapshots[0].layers.length, 0);
  });

  it('tails a file incrementally from the last complete line, a line split across polls', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runlog-'));
    const file = path.join(dir, 'live.jsonl');
    const names = ['a', 'b'];
    fs.writeFileSync(file, meta([linear('a', 2, 2), sigmoid('s'), linear('b', 1, 2)]) + snap(0, [1, 2], names));
    const tail = new RunLogTail(file);
    assert.deepEqual(tail.poll().added.map(s => s.step), [0]);
    const next = snap(10, [3, 4], names);
    fs.appendFileSync(file, next.slice(0, 20));
    assert.deepEqual(tail.poll().added, []);
    const offset = tail.parser.state.offset;
    fs.appendFileSync(file, next.slice(20) + snap(20, [5, 6], names));
    const polled = tail.poll();
    assert.deepEqual(polled.added.map(s => s.layers.map(l => l.gradNorm)), [[3, 4], [5, 6]]);
    assert.equal(tail.parser.state.offset, offset + Buffer.byteLength(next) + Buffer.byteLength(snap(20, [5, 6], names)));
    // bounded reads: a big backlog arrives in slices
    for (let s = 30; s < 80; s += 10) fs.appendFileSync(file, snap(s, [s, s], names));
    const slice = tail.poll(200);
    assert.equal(slice.more, true);
    let steps = slice.added.map(s => s.step);
    while (true) { const p = tail.poll(200); steps = steps.concat(p.added.map(s => s.step)); if (!p.more) break; }
    assert.deepEqual(steps, [30, 40, 50, 60, 70]);
  });

  it('thins old snapshots beyond the cap, keeping the first and the newest', () => {
    const parser = new RunLogParser(100);
    let lines = meta([linear('fc', 2, 2)]);
    for (let s = 0; s < 1000; s++) lines += snap(s, [s], ['fc']);
    parser.feed(Buffer.from(lines));
    const kept = parser.state.snapshots;
    assert.ok(kept.length <= 100 && kept.length >= 75, String(kept.length));
    assert.equal(kept[0].step, 0);
    assert.equal(kept.at(-1)!.step, 999);
    assert.equal(parser.state.snapshotCount, 1000);
    assert.ok(kept.every((s, i) => i === 0 || s.step > kept[i - 1].step));
    assert.deepEqual(thinSnapshots([1, 2, 3, 4, 5], 3), [1, 3, 5]);
  });
});

describe('core/runs/runAnalysis', () => {
  it('a vanishing gradient warning names the module, with the config thresholds', () => {
    const parser = new RunLogParser();
    parser.feed(Buffer.from(meta([linear('enc.0', 4, 4), sigmoid('enc.1'), linear('enc.2', 4, 4), sigmoid('enc.3'), linear('head', 1, 4)]) + snap(0, [1e-5, 0.5, 1], ['enc.0', 'enc.2', 'head'])));
    const warnings = runWarnings(parser.state);
    assert.deepEqual(warnings.map(w => [w.kind, w.module]), [['vanishing', 'enc.0']]);
    assert.match(warnings[0].message, /^Vanishing gradient at step 0: module enc\.0 \(4 sigmoid\) has ‖∂L\/∂W‖ = 1e-5, 1\/100000 of the output layer's 1/);
    assert.ok(runNotes(parser.state, warnings).some(n => n.includes('module enc.0')));
    assert.match(moduleTable(parser.state), /^module +type +units/);
    assert.match(moduleTable(parser.state).split('\n')[1], /^enc\.0 +Linear +4 +sigmoid \(enc\.1\) +1e-5 +1e-5/);
  });

  it('holds no normalization layer and no parameter that is not a weight against the output module, and says so', () => {
    const parser = new RunLogParser();
    const module = (name: string, type: string, param: string, shape: number[]) => ({ name, type, params: [{ name: param, shape }] });
    // a ViT-like order: class token, a LayerNorm, a bias table, a BatchNorm, then weight layers; every norm far below
    const names = ['vit', 'enc.ln', 'attn', 'bn', 'enc.fc', 'norm', 'head'];
    parser.feed(Buffer.from(meta([module('vit', 'VisionTransformer', 'class_token', [1, 1, 32]), module('enc.ln', 'LayerNorm', 'weight', [32]),
      module('attn', 'ShiftedWindowAttention', 'relative_position_bias_table', [169, 3]), module('bn', 'BatchNorm2d', 'weight', [32]),
      linear('enc.fc', 32, 32), module('norm', 'RMSNorm', 'weight', [32]), linear('head', 10, 32)])
      + snap(0, [1e-7, 1e-6, 1e-8, 1e-7, 1e-5, 1e-6, 1], names)));
    assert.deepEqual(parser.state.layers.map(l => l.gradientCompared), [false, false, false, false, true, false, true]);
    // the weight layer still is, by the same rule and threshold
    assert.deepEqual(runWarnings(parser.state).map(w => [w.kind, w.module]), [['vanishing', 'enc.fc']]);
    const note = runReadingNotes(parser.state).find(t => t.id === 'runs.notCompared');
    assert.deepEqual(note?.args, { modules: 'vit, enc.ln, attn, bn, norm' });
    // named only where the rule would have warned: a BatchNorm at 0.5 of the last module is not
    const calm = new RunLogParser();
    calm.feed(Buffer.from(meta([module('bn', 'BatchNorm1d', 'weight', [4]), linear('head', 1, 4)]) + snap(0, [0.5, 1], ['bn', 'head'])));
    assert.equal(runReadingNotes(calm.state).find(t => t.id === 'runs.notCompared'), undefined);
    // a weight named otherwise (an old-style weight_norm's direction, an attention's in_proj_weight) is a weight
    const other = new RunLogParser();
    other.feed(Buffer.from(meta([module('mha', 'MultiheadAttention', 'in_proj_weight', [96, 32]), linear('head', 1, 32)]) + snap(0, [1e-6, 1], ['mha', 'head'])));
    assert.deepEqual(runWarnings(other.state).map(w => [w.kind, w.module]), [['vanishing', 'mha']]);
    assert.equal(runReadingNotes(other.state).find(t => t.id === 'runs.notCompared'), undefined);
  });

  it('NaN gradients (written as null + nonFinite) are restored and warned about by module', () => {
    const parser = new RunLogParser();
    const bad = { type: 'snapshot', step: 7, finite: false, layers: [{ name: 'fc', gradNorm: null, nonFinite: { gradNorm: 'NaN' }, biasGradNorm: 1, weightNorm: 1, updateRatio: 0, gradMeanAbs: 0, gradMaxAbs: 0 }], activations: [] };
    parser.feed(Buffer.from(meta([linear('fc', 2, 2)]) + JSON.stringify(bad) + '\n'));
    assert.ok(Number.isNaN(parser.state.snapshots[0].layers[0].gradNorm));
    const warnings = runWarnings(parser.state);
    assert.equal(warnings.find(w => w.kind === 'nan')?.module, 'fc');
    assert.match(warnings.find(w => w.kind === 'nan')!.message, /module fc logged gradNorm = NaN first at step 7/);
  });

  it('names the activation modules it cannot measure, and says when there is no activation module at all', () => {
    const bare = (name: string, type: string) => ({ name, type, params: [] });
    const parser = new RunLogParser();
    // Hardswish and CELU: torch activations outside the table (python/gradscope records nothing for them); "swishy":
    // an activation a newer gradscope might log, unknown to this reader; Dropout: not an activation, not named
    parser.feed(Buffer.from(meta([linear('0', 4, 4), bare('1', 'Hardswish'), linear('2', 4, 4), bare('3', 'CELU'), bare('4', 'Dropout'),
      linear('5', 4, 4), { name: '6', type: 'Swishy', params: [], activation: { name: 'swishy' } }, linear('7', 1, 4)])
      + snap(0, [0.5, 0.5, 0.5, 1], ['0', '2', '5', '7'])));
    assert.deepEqual(parser.state.unmeasured, [{ module: '1', type: 'Hardswish' }, { module: '3', type: 'CELU' }, { module: '6', type: 'Swishy' }]);
    assert.deepEqual(parser.state.layers.map(l => l.activationModule), [undefined, undefined, undefined, undefined]);
    const notes = runNotes(parser.state, runWarnings(parser.state));
    assert.ok(notes.some(n => n.startsWith('Not measured: 1 (Hardswish), 3 (CELU), 6 (Swishy): activation modules outside Gradscope\'s table')), notes.join('\n'));
    assert.ok(!notes.some(n => n.startsWith('No activation module')), 'unmeasured modules are named, not called absent');
    // a model whose activations are all functional (F.relu): nothing to hook, and the note says why
    const functional = new RunLogParser();
    functional.feed(Buffer.from(meta([linear('fc1', 4, 4), linear('fc2', 1, 4)]) + snap(0, [0.5, 1], ['fc1', 'fc2'])));
    assert.deepEqual(runReadingNotes(functional.state).map(t => t.id), ['runs.noActivations', 'runs.splitNote']);
    // the fixture (Linear → Sigmoid chains): neither note
    assert.deepEqual(runReadingNotes(readRunLogFile(FIXTURE)).map(t => t.id).filter(id => id !== 'runs.splitNote'), []);
  });

  it('every gradient missing or 0 (w.step() after zero_grad()): a note that says where to call it', () => {
    const cleared = new RunLogParser();
    const record = JSON.parse(snap(4, [0, 0], ['fc1', 'fc2']));
    record.layers[0] = { name: 'fc1', type: 'Linear', gradNorm: null, noGrad: true, biasGradNorm: null, weightNorm: 1, updateRatio: null, gradMeanAbs: null, gradMaxAbs: null };
    cleared.feed(Buffer.from(meta([linear('fc1', 4, 4), linear('fc2', 1, 4)]) + JSON.stringify(record) + '\n'));
    const note = runReadingNotes(cleared.state).find(t => t.id === 'runs.noGradients');
    assert.ok(note !== undefined);
    assert.match(runNotes(cleared.state, []).join('\n'), /Every module's gradient is missing or 0 at step 4: .*call it between loss\.backward\(\) and zero_grad\(\)/);
    // one module with a gradient is enough to say nothing
    const fine = new RunLogParser();
    fine.feed(Buffer.from(meta([linear('fc1', 4, 4), linear('fc2', 1, 4)]) + snap(4, [0, 1e-12], ['fc1', 'fc2'])));
    assert.equal(runReadingNotes(fine.state).find(t => t.id === 'runs.noGradients'), undefined);
  });

  it('a frozen module (requires_grad=False): no vanishing warning, named in a note, "frozen" in the table', () => {
    const names = ['backbone', 'mid', 'head'];
    const modules = [linear('backbone', 4, 4), linear('mid', 4, 4), linear('head', 1, 4)];
    const record = JSON.parse(snap(3, [0, 1e-9, 1], names));
    record.layers[0] = { ...record.layers[0], gradNorm: null, noGrad: true, frozen: true, gradMeanAbs: null, gradMaxAbs: null };
    const parser = new RunLogParser();
    parser.feed(Buffer.from(meta(modules) + JSON.stringify(record) + '\n'));
    const layers = parser.state.snapshots[0].layers;
    assert.deepEqual(layers.map(l => l.frozen), [true, undefined, undefined]);
    // the unfrozen module whose gradient did vanish is still warned about; the frozen one is not
    assert.deepEqual(runWarnings(parser.state).filter(w => w.kind === 'vanishing').map(w => w.module), ['mid']);
    const note = runReadingNotes(parser.state).find(t => t.id === 'runs.frozen');
    assert.deepEqual(note?.args, { modules: 'backbone' });
    const rows = moduleTable(parser.state).split('\n');
    assert.match(rows[1], /^backbone +Linear +4 +— +frozen +— +— /);
    assert.match(rows[2], /^mid +Linear +4 +— +1e-9 +1e-9 /);
    // every trainable gradient 0 while a part is frozen: still the zero_grad() note; a frozen part alone is no sign of it
    const cleared = JSON.parse(JSON.stringify(record));
    cleared.layers[1].gradNorm = 0;
    cleared.layers[2].gradNorm = 0;
    const both = new RunLogParser();
    both.feed(Buffer.from(meta(modules) + JSON.stringify(cleared) + '\n'));
    assert.ok(runReadingNotes(both.state).some(t => t.id === 'runs.noGradients'));
    assert.ok(!runReadingNotes(parser.state).some(t => t.id === 'runs.noGradients'));
    // noGrad without frozen (a module unused in that step) stays a gradient of 0, as before
    const unused = JSON.parse(JSON.stringify(record));
    delete unused.layers[0].frozen;
    const plain = new RunLogParser();
    plain.feed(Buffer.from(meta(modules) + JSON.stringify(unused) + '\n'));
    assert.equal(plain.state.snapshots[0].layers[0].frozen, undefined);
    assert.deepEqual(runWarnings(plain.state).filter(w => w.kind === 'vanishing').map(w => w.module), ['backbone', 'mid']);
  });

  it('live, stalled, ended', () => {
    assert.equal(runLiveness({ end: undefined }, 1000, 5000, 30), 'live');
    assert.equal(runLiveness({ end: undefined }, 1000, 40000, 30), 'stalled');
    assert.equal(runLiveness({ end: { step: 1, steps: 2, reason: 'close' } }, 1000, 5000, 30), 'ended');
  });
});
