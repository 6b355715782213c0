// The live probe on the real engine: a deep sigmoid config warns of the vanishing gradient with the measured ratio;
// each quick fix's edited JSON parses, and probed again, the warning it addresses is gone.
import assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import * as fs from 'node:fs';
import { applyConfigFix } from '../../../src/core/config/configFixes';
import { DEFAULT_PROBE_THRESHOLDS, mergeWarnings, warningsFromSnapshot, divergenceWarning, type ProbeWarning } from '../../../src/core/analysis/probeWarnings';
import type { FromProbeWorker, ProbeSettings } from '../../../src/protocol';
import { analyzeConfig } from '../../../src/configInsight/configAnalysis';
import { probeEngine, probePool, runProbe } from '../../../src/configInsight/probeWorker';
import { buildPoolWorker } from '../../../scripts/lib/poolWorkerBuild.mjs';

const settings: ProbeSettings = { sampleSize: 128, timeBudgetMs: 400, maxSteps: 60 };

const deepSigmoid = `// ten sigmoid layers
{
  "data": { "builtin": "circle", "samples": 300 },
  "hidden": [32, 32, 32, 32, 32, 32, 32, 32, 32],
  "activation": "sigmoid",
  "init": "xavier_normal",
  "optimizer": { "type": "sgd", "lr": 0.1 },
  "batchSize": 32,
  "epochs": 5,
  "seed": 1
}
`;

function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length - 1;
}

async function probe(text: string, configPath = path.join(os.tmpdir(), 'probe-test.nn.json'), overrides: Partial<ProbeSettings> = {}) {
  const messages: FromProbeWorker[] = [];
  const outcome = await runProbe(
    { type: 'probe', probeId: 1, configPath, configText: text, settings: { ...settings, ...overrides } },
    { post: m => messages.push(m), isCancelled: () => false },
  );
  const snapshots = messages.filter((m): m is Extract<FromProbeWorker, { type: 'probeSnapshot' }> => m.type === 'probeSnapshot');
  const problems = messages.flatMap(m => (m.type === 'probeProblems' ? m.problems : []));
  const lists: ProbeWarning[][] = snapshots.map(s => warningsFromSnapshot(s.snapshot, DEFAULT_PROBE_THRESHOLDS, s.phase));
  for (const s of snapshots) if (s.diverged) lists.push([divergenceWarning(s.diverged, s.lr)]);
  return { outcome, snapshots, problems, warnings: mergeWarnings(...lists) };
}

describe('live probe on the real engine', function () {
  this.timeout(60_000);

  it('finds the vanishing gradient of a deep sigmoid stack, with the measured ratio, on the layer\'s line', async () => {
    const { snapshots, warnings, problems } = await probe(deepSigmoid);
    assert.deepEqual(problems, []);
    assert.deepEqual(snapshots.map(s => s.phase), ['step0', 'trained']);
    const step0 = snapshots[0].snapshot;
    assert.equal(step0.layers.length, 10);
    const ratio = step0.layers[0].gradNorm / step0.layers[9].gradNorm;
    const vanishing = warnings.filter(w => w.kind === 'vanishing');
    assert.ok(vanishing.length > 0 && vanishing[0].layerIndex === 0, JSON.stringify(warnings.map(w => w.message)));
    assert.ok(vanishing[0].measured <= ratio * 1.0000001 && vanishing[0].measured < 1e-3);
    const analysis = analyzeConfig(deepSigmoid, '/tmp/x.nn.json');
    assert.equal(analysis.layerLines.get(0), 3, 'layer 0 is written on the "hidden" line');
  });

  for (const fix of ['reluHe', 'seluLecun', 'batchNorm', 'skipEvery2'] as const) {
    it(`after the ${fix} quick fix the config parses and the vanishing-gradient warning is gone`, async () => {
      const fixed = applyConfigFix(deepSigmoid, fix);
      assert.notEqual(fixed, deepSigmoid);
      const analysis = analyzeConfig(fixed, '/tmp/x.nn.json');
      assert.deepEqual(analysis.issues.filter(i => i.severity === 'error'), []);
      const { warnings, snapshots } = await probe(fixed);
      assert.ok(snapshots.length > 0);
      const vanishing = warnings.filter(w => w.kind === 'vanishing');
      assert.deepEqual(vanishing.map(w => w.message), []);
    });
  }

  it('fixes an explicit module list too: ReLU/He and residual blocks remove the vanishing warning', async () => {
    const block = '    { "type": "linear", "units": 32 }, { "type": "activation", "name": "sigmoid" },\n';
    const explicit = `{
  "data": { "builtin": "circle", "samples": 300 },
  "layers": [
${block.repeat(9)}    { "type": "linear" }
  ],
  "init": "xavier_normal",
  "optimizer": { "type": "sgd", "lr": 0.1 },
  "seed": 1
}`;
    const before = await probe(explicit);
    assert.ok(before.warnings.some(w => w.kind === 'vanishing'), JSON.stringify(before.problems));
    const analysis = analyzeConfig(explicit, '/tmp/x.nn.json');
    assert.equal(analysis.layerLines.get(0), 3);
    assert.equal(analysis.layerLines.get(8), 11);
    for (const fix of ['reluHe', 'skipEvery2'] as const) {
      const fixed = applyConfigFix(explicit, fix);
      assert.deepEqual(analyzeConfig(fixed, '/tmp/x.nn.json').issues.filter(i => i.severity === 'error'), []);
      const after = await probe(fixed);
      assert.ok(after.snapshots.length > 0);
      assert.deepEqual(after.warnings.filter(w => w.kind === 'vanishing').map(w => w.message), [], fix);
    }
  });

  it('measures saturation of a badly initialised sigmoid layer, and ReLU with He init removes it', async () => {
    const saturating = deepSigmoid.replace('"init": "xavier_normal"', '"init": { "type": "normal", "std": 4 }')
      .replace('"hidden": [32, 32, 32, 32, 32, 32, 32, 32, 32]', '"hidden": [32, 32]');
    const before = await probe(saturating, undefined, { maxSteps: 0 });
    const saturated = before.warnings.filter(w => w.kind === 'saturated');
    const step0 = before.snapshots[0].snapshot;
    assert.ok(saturated.length > 0, JSON.stringify(step0.layers.map(l => l.saturation)));
    const layer = step0.layers[saturated[0].layerIndex!];
    assert.equal(saturated[0].measured, layer.saturation);
    assert.ok(saturated[0].message.includes(`${Math.round(layer.saturation * 100)}%`));
    const after = await probe(applyConfigFix(saturating, 'reluHe'), undefined, { maxSteps: 0 });
    assert.deepEqual(after.warnings.filter(w => w.kind === 'saturated'), []);
  });

  it('finds dead ReLU units after training at a high learning rate; lowering it 10× keeps them alive', async () => {
    const hot = `{
  "data": { "builtin": "circle", "samples": 300 },
  "hidden": [32, 32, 32, 32],
  "activation": "relu",
  "optimizer": { "type": "sgd", "lr": 2 },
  "seed": 1
}`;
    // A generous budget: exactly 200 steps, however busy the machine, so the result is the seed's.
    const steps = { maxSteps: 200, timeBudgetMs: 60_000 };
    const before = await probe(hot, undefined, steps);
    const trained = before.snapshots.find(s => s.phase === 'trained');
    assert.equal(trained?.steps, 200);
    const dead = before.warnings.filter(w => w.kind === 'dead');
    assert.ok(dead.length > 0, JSON.stringify(trained?.snapshot.layers.map(l => l.dead)));
    const layer = trained!.snapshot.layers.find(l => l.index === dead[0].layerIndex)!;
    assert.equal(dead[0].measured, layer.dead);
    assert.ok(layer.dead > 0.5);
    assert.match(dead[0].message, new RegExp(`${Math.round(layer.dead * 100)}% of layer ${layer.index}`));
    const after = await probe(applyConfigFix(hot, 'lowerLr'), undefined, steps);
    assert.deepEqual(after.warnings.filter(w => w.kind === 'dead'), []);
  });

  it('warns of divergence at a huge learning rate, and lowering it 10× twice removes the warning', async () => {
    const hot = deepSigmoid.replace('"activation": "sigmoid"', '"activation": "relu"').replace('"init": "xavier_normal"', '"init": "he_normal"')
      .replace('"lr": 0.1', '"lr": 50');
    const before = await probe(hot, undefined, { maxSteps: 200, timeBudgetMs: 2000 });
    const diverged = before.warnings.find(w => w.kind === 'diverged');
    assert.ok(diverged, JSON.stringify(before.warnings.map(w => w.kind)));
    assert.equal(diverged.measured, 50);
    const lowered = applyConfigFix(applyConfigFix(applyConfigFix(hot, 'lowerLr'), 'lowerLr'), 'lowerLr');
    assert.match(lowered, /"lr": 0\.05/);
    const after = await probe(lowered, undefined, { maxSteps: 200, timeBudgetMs: 2000 });
    assert.equal(after.warnings.find(w => w.kind === 'diverged'), undefined);
  });

  it('points data problems at their keys: a missing file, a missing column, and files outside an untrusted workspace', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gradscope-probe-'));
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'gradscope-outside-'));
    fs.writeFileSync(path.join(dir, 'd.csv'), 'a,b,y\n1,2,0\n2,3,1\n3,5,0\n4,4,1\n5,6,0\n6,8,1\n');
    fs.copyFileSync(path.join(dir, 'd.csv'), path.join(outside, 'd.csv'));
    const configPath = path.join(dir, 'c.nn.json');
    const withData = (data: string) => deepSigmoid.replace('"builtin": "circle", "samples": 300', data);

    // A missing file is found by the parser, as the user types, on the value of data.file.
    const missingText = withData('"file": "nope.csv"');
    const analysis = analyzeConfig(missingText, configPath);
    const missing = analysis.issues.find(i => /nope\.csv/.test(i.message));
    assert.ok(missing, JSON.stringify(analysis.issues));
    assert.equal(missingText.slice(missing.offset, missing.offset + missing.length), '"nope.csv"');

    // A column that is not in the file needs the file: the probe reports it on that entry of data.inputs.
    const column = await probe(withData('"file": "d.csv", "inputs": ["a", "bb"], "target": "y"'), configPath);
    assert.equal(column.snapshots.length, 0);
    assert.deepEqual(column.problems.map(p => p.jsonPath), [['data', 'inputs', 1]]);
    assert.match(column.problems[0].message, /bb/);

    const untrustedText = withData(`"file": ${JSON.stringify(path.join(outside, 'd.csv'))}`);
    const untrusted = await probe(untrustedText, configPath, { trustedRoots: [dir] });
    assert.equal(untrusted.snapshots.length, 0);
    assert.match(untrusted.problems[0].message, /not trusted/);
    assert.deepEqual(untrusted.problems[0].jsonPath, ['data', 'file']);
    const inside = await probe(withData('"file": "d.csv"'), configPath, { trustedRoots: [dir], maxSteps: 0 });
    assert.equal(inside.snapshots.length, 1);
    const trusted = await probe(untrustedText, configPath, { maxSteps: 0 });
    assert.equal(trusted.snapshots.length, 1);
  });

  it('adds semantic checks the schema cannot make, each on its exact span', async () => {
    const text = `{
  "data": { "builtin": "circle", "samples": 100 },
  "hidden": [32, 32, 64, 16, 16],
  "skip": 2,
  "activation": "relu",
  "optimizer": { "type": "adam", "lr": 0.5 },
  "batchSize": 500
}`;
    const analysis = analyzeConfig(text, '/tmp/x.nn.json');
    const info = analysis.issues.filter(i => i.severity === 'information');
    assert.equal(info.length, 3, JSON.stringify(analysis.issues));
    // hidden[1..2] form the first residual block (32 in, 64 out), hidden[3..4] the second (64 in, 16 out).
    const [widths, widths2, lr] = info;
    assert.match(widths2.message, /layers 3–4 joins 64 units to 16/);
    assert.match(widths.message, /layers 1–2 joins 32 units to 64/);
    assert.equal(text.slice(widths.offset, widths.offset + widths.length), '32');
    assert.equal(lineOf(text, widths.offset), 2);
    assert.match(lr.message, /lr 0\.5 is large for adam/);
    assert.equal(text.slice(lr.offset, lr.offset + lr.length), '0.5');
    const second = analyzeConfig(text.replace('[32, 32, 64, 16, 16]', '[32, 32, 32, 32, 32]'), '/tmp/x.nn.json');
    assert.deepEqual(second.issues.filter(i => /skip connection/.test(i.message)), []);

    const probed = await probe(text, undefined, { maxSteps: 0 });
    assert.deepEqual(probed.problems.map(p => [p.severity, p.jsonPath?.join('.')]), [['warning', 'batchSize']]);
    assert.match(probed.problems[0].message, /batchSize 500 is larger than the 80 training rows/);
  });

  it('skips networks too large to probe per keystroke, saying so on the network', async () => {
    const big = deepSigmoid.replace('[32, 32, 32, 32, 32, 32, 32, 32, 32]', '[1024, 1024, 1024]');
    const { snapshots, problems } = await probe(big);
    assert.equal(snapshots.length, 0);
    assert.deepEqual(problems.map(p => [p.severity, p.jsonPath]), [['warning', ['hidden']]]);
    assert.match(problems[0].message, /skips networks above 2,000,000 parameters \(this one has 2,\d{3},\d{3}\)/);
  });

  it('every quick fix on every bundled example yields a config that still parses without errors', () => {
    const examples = path.join(__dirname, '..', '..', '..', 'examples');
    const files = fs.readdirSync(examples).filter(f => f.endsWith('.nn.json'));
    assert.ok(files.length >= 3, files.join(', '));
    let changed = 0;
    for (const file of files) {
      const configPath = path.join(examples, file);
      const text = fs.readFileSync(configPath, 'utf8');
      assert.deepEqual(analyzeConfig(text, configPath).issues.filter(i => i.severity === 'error'), [], file);
      for (const fix of ['reluHe', 'seluLecun', 'batchNorm', 'skipEvery2', 'lowerLr'] as const) {
        const fixed = applyConfigFix(text, fix);
        if (fixed !== text) changed++;
        const errors = analyzeConfig(fixed, configPath).issues.filter(i => i.severity === 'error');
        assert.deepEqual(errors.map(e => e.message), [], `${fix} on ${file}:\n${fixed}`);
      }
    }
    assert.ok(changed >= files.length * 3, `${changed} fixes changed something`);
  });

  it('stops at the next chunk when cancelled', async () => {
    let posted = 0;
    let cancelled = false;
    const outcome = await runProbe(
      { type: 'probe', probeId: 7, configPath: '/tmp/c.nn.json', configText: deepSigmoid, settings: { ...settings, maxSteps: 100000, timeBudgetMs: 60000 } },
      { post: m => { posted++; if (m.type === 'probeSnapshot') cancelled = true; }, isCancelled: () => cancelled },
    );
    assert.deepEqual(outcome, { cancelled: true });
    assert.equal(posted, 2, 'problems (none) and the step-0 snapshot, nothing after the cancel');
  });

  it('on 2 threads: the same numbers, the layer probes shared with a pool and the products with helpers, both kept from probe to probe', async () => {
    probePool.script = await buildPoolWorker();
    const wide = `{
  "data": { "builtin": "circle", "samples": 900 },
  "hidden": [128, 128, 128],
  "activation": "relu",
  "optimizer": { "type": "adam", "lr": 0.01 },
  "batchSize": 64,
  "seed": 4
}`;
    const sized = { sampleSize: 512, maxSteps: 5, timeBudgetMs: 60_000 };
    const helpersNow = () => probeEngine.productThreads; // a call: no narrowing from one assertion to the next
    const one = await probe(wide, undefined, { ...sized, threads: 1 });
    assert.equal(helpersNow(), undefined, 'one thread: no helper');
    await probe(wide, undefined, { ...sized, threads: 2 }); // starts the helpers
    const helpers = helpersNow();
    assert.ok(helpers);
    const pool = probePool.pool;
    assert.ok(pool && pool.size === 1, 'a pool of one worker beside this thread');
    const started = Date.now();
    while (helpers.readyThreads() < 2 && Date.now() - started < 30_000) await new Promise(r => setTimeout(r, 20));
    const splitBefore = helpers.splitCount;
    const two = await probe(wide, undefined, { ...sized, threads: 2 });
    assert.equal(helpersNow(), helpers, 'the next probe kept the same helper threads');
    assert.equal(probePool.pool, pool, 'and the same pool');
    assert.ok(helpers.splitCount > splitBefore, 'its products were split');
    assert.deepEqual(two.snapshots.map(s => s.phase), ['step0', 'trained']);
    const numbers = (r: typeof one) => JSON.stringify(r.snapshots.map(s => [s.snapshot, s.steps, s.rows, s.lr]));
    assert.equal(numbers(two), numbers(one));
    // The deep sigmoid stack too: ten layers' probes in two shares, its vanishing gradient the same to the bit.
    const deepOne = await probe(deepSigmoid, undefined, { threads: 1 });
    const deepTwo = await probe(deepSigmoid, undefined, { threads: 2 });
    assert.equal(numbers(deepTwo), numbers(deepOne));
    probeEngine.close();
    probePool.close();
  });
});
