import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { runCli, EXIT } from '../../../src/cli/cli';

const root = path.resolve(__dirname, '../../..');

/** The real command line in its own process (TypeScript through tsx), as a user runs it. */
function gradscope(args: string[], cwd = root): { code: number; stdout: string; stderr: string } {
  // tsx by its path, so that the command can run in any folder (cwd), as it does for a user
  const tsx = pathToFileURL(path.join(root, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
  const result = spawnSync(process.execPath, ['--import', tsx, path.join(root, 'src', 'cli', 'cli.ts'), ...args], {
    cwd, encoding: 'utf8', timeout: 120_000, env: { ...process.env, NODE_OPTIONS: '' },
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

function jsonLines(stdout: string): Record<string, unknown>[] {
  return stdout.trim().split('\n').map(line => JSON.parse(line) as Record<string, unknown>);
}

async function inProcess(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: t => { stdout += t; }, stderr: t => { stderr += t; }, progress: false });
  return { code, stdout, stderr };
}

describe('gradscope CLI', function () {
  this.timeout(180_000);
  let dir: string;
  before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gradscope-cli-')); });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('trains the deep sigmoid example and prints JSON Lines: snapshots, then a summary that shows the vanishing gradient', () => {
    const { code, stdout, stderr } = gradscope(['train', 'examples/deep-sigmoid.nn.json', '--epochs', '3', '--json']);
    assert.equal(code, EXIT.done, stderr);
    const lines = jsonLines(stdout);
    const snapshots = lines.filter(l => l.type === 'snapshot');
    const summary = lines[lines.length - 1];
    assert.equal(summary.type, 'summary');
    assert.equal(snapshots.length, 4, 'step 0 and one per epoch');
    assert.deepEqual(snapshots.map(s => s.epoch), [0, 1, 2, 3]);
    const layers = (snapshots[3].layers as { index: number; units: number; activation: string; gradNorm: number; saturation: number; dead: number }[]);
    assert.equal(layers.length, 11);
    assert.deepEqual(layers.map(l => l.units), [...Array(10).fill(32), 1]);
    assert.equal(layers[0].activation, 'sigmoid');
    // Ten sigmoid layers: the first layer's gradient is a tiny fraction of the output layer's.
    assert.ok((summary.firstToOutputGradRatio as number) < 1e-3, `ratio ${summary.firstToOutputGradRatio}`);
    assert.equal(summary.firstToOutputGradRatio, layers[0].gradNorm / layers[10].gradNorm);
    assert.equal(summary.status, 'done');
    assert.equal(summary.epochs, 3);
    assert.equal(summary.task, 'binary');
  });

  it('--json: every layer but the output layer carries its backward split, the BN / skip factor where the network has one', () => {
    for (const [example, extra] of [['examples/batchnorm.nn.json', 'batchNormFactor'], ['examples/residual.nn.json', 'residualFactor'], ['examples/deep-sigmoid.nn.json', undefined]] as const) {
      const { code, stdout } = gradscope(['train', example, '--epochs', '1', '--json']);
      assert.equal(code, EXIT.done);
      const snapshots = jsonLines(stdout).filter(l => Array.isArray(l.layers)) as { layers: { deltaNorm: number; backward?: Record<string, number> }[] }[];
      assert.ok(snapshots.length >= 2, example);
      for (const { layers } of snapshots) {
        assert.equal(layers.at(-1)!.backward, undefined, `${example}: the output layer has no split`);
        layers.slice(0, -1).forEach((layer, i) => {
          const b = layer.backward!;
          for (const key of ['gain', 'activationFactor', 'weightFactor', 'weightSpectralNorm', 'maxSlope']) assert.equal(typeof b[key], 'number', `${example} layer ${i} ${key}`);
          const product = b.activationFactor * b.weightFactor * (b.batchNormFactor ?? 1) * (b.dropoutFactor ?? 1) * (b.residualFactor ?? 1);
          assert.ok(Math.abs(product / b.gain - 1) <= 1e-12, `${example} layer ${i}: ${product} vs ${b.gain}`);
          assert.ok(Math.abs(b.gain / (layer.deltaNorm / layers[i + 1].deltaNorm) - 1) <= 1e-12, `${example} layer ${i}: gain vs the deltaNorm ratio`);
        });
        if (extra !== undefined) assert.ok(layers.some(l => l.backward?.[extra] !== undefined), `${example}: some layer has ${extra}`);
        else assert.ok(layers.every(l => l.backward?.batchNormFactor === undefined && l.backward?.residualFactor === undefined), example);
      }
    }
  });

  it('prints a per-layer table without --json', () => {
    const { code, stdout } = gradscope(['train', 'examples/residual.nn.json', '--epochs', '2']);
    assert.equal(code, EXIT.done);
    assert.match(stdout, /layer +units +activation +gradNorm +vs output +δ gain +f′ part +W part +BN\/skip part +saturated\/inactive +dead/);
    const rows = stdout.split('\n').filter(l => /^ +\d+ +\d+ +(tanh|linear) /.test(l));
    assert.equal(rows.length, 10);
    // Each hidden row's gain is the product of its three parts (to the printed three digits).
    for (const row of rows.slice(0, 9)) {
      const [gain, act, weight, other] = row.trim().split(/ +/).slice(5, 9).map(Number);
      assert.ok(Math.abs(act * weight * (Number.isNaN(other) ? 1 : other) / gain - 1) < 0.01, row);
    }
    // Residual blocks start at layers 0, 2, 4, 6: their skip part is printed, the others' is '—'.
    assert.deepEqual(rows.slice(0, 9).map(r => r.trim().split(/ +/)[8] === '—'), [false, true, false, true, false, true, false, true, true]);
    assert.match(stdout, /where the gradient is lost most: Layer \d passes on \d+ % of the error signal it receives: tanh′ [\d.]+ \(at most 1\) × W [\d.]+/);
  });

  it('--epochs 0 gives the step-0 diagnostics without any update', () => {
    const { code, stdout } = gradscope(['train', '--builtin', 'circle', '--preset', 'deep-relu-he', '--epochs', '0', '--json']);
    assert.equal(code, EXIT.done);
    const lines = jsonLines(stdout);
    assert.equal(lines.length, 2);
    assert.equal(lines[0].step, 0);
    const layers = lines[0].layers as { updateRatio: number; gradNorm: number }[];
    assert.ok(layers.every(l => l.updateRatio === 0 && l.gradNorm > 0));
    assert.equal(lines[1].steps, 0);
  });

  it('saves a model and loads it back to the same predictions', () => {
    const model = path.join(dir, 'model.json');
    const first = gradscope(['train', 'examples/turbine.nn.json', '--epochs', '5', '--json', '--save', model]);
    assert.equal(first.code, EXIT.done, first.stderr);
    const saved = JSON.parse(fs.readFileSync(model, 'utf8'));
    assert.equal(saved.format, 'gradscope-model');
    assert.deepEqual(saved.inputNames, ['wind_speed']);
    const trained = jsonLines(first.stdout).filter(l => l.type === 'snapshot').pop()!;
    const again = gradscope(['train', 'examples/turbine.nn.json', '--epochs', '0', '--json', '--load', model]);
    assert.equal(again.code, EXIT.done, again.stderr);
    const loaded = jsonLines(again.stdout)[0];
    // Same network, same validation rows, no batch norm or dropout: the same validation loss.
    assert.ok(Math.abs((loaded.valLoss as number) - (trained.valLoss as number)) < 1e-12, `${loaded.valLoss} vs ${trained.valLoss}`);
  });

  it('refuses a model whose input count does not fit the data', () => {
    const model = path.join(dir, 'wide.json');
    fs.writeFileSync(model, JSON.stringify({ format: 'gradscope-model', version: 1, inputs: 3, layers: [{ type: 'linear', weight: [[1, 2, 3]], bias: [0] }] }));
    const { code, stderr } = gradscope(['train', 'examples/turbine.nn.json', '--load', model, '--epochs', '0']);
    assert.equal(code, EXIT.badInput);
    assert.match(stderr, /wide\.json takes 3 inputs but the data has 1 \(wind_speed\)/);
  });

  it('exits 2 with file:line:column for a bad config, and never prints a stack trace', () => {
    const config = path.join(dir, 'bad.nn.json');
    fs.writeFileSync(config, '{\n  "data": { "builtin": "xor" },\n  "hidden": [8, 8],\n  "activation": "sigmod"\n}\n');
    const { code, stderr, stdout } = gradscope(['train', config]);
    assert.equal(code, EXIT.badInput);
    assert.equal(stdout, '');
    assert.equal(stderr.trim(), `error: ${config}:4:17: unknown activation 'sigmod' — did you mean 'sigmoid'?`);
  });

  it('exits 2 for a data file error, pointing into the data file', () => {
    const data = path.join(dir, 'broken.csv');
    fs.writeFileSync(data, 'a,b,y\n1,2,0.5\n3,x,0.7\n');
    const { code, stderr } = gradscope(['train', '--data', data]);
    assert.equal(code, EXIT.badInput);
    assert.equal(stderr.trim(), "error: broken.csv:3:3: column 'b' (2): 'x' is not a number");
    assert.doesNotMatch(stderr, /\n\s+at /);
  });

  it('exits 1 when training diverges, saying when and what to try', () => {
    const config = path.join(dir, 'hot.nn.json');
    fs.writeFileSync(config, '{ "data": { "builtin": "plane" }, "hidden": [16, 16], "activation": "relu", "optimizer": { "type": "sgd", "lr": 1000 }, "epochs": 5 }');
    const { code, stderr } = gradscope(['train', config]);
    assert.equal(code, EXIT.diverged, stderr);
    assert.match(stderr, /diverged at epoch \d+, step \d+/);
    assert.match(stderr, /Try: .*learning rate/);
  });

  it('writes a self-contained HTML report when the webview bundle is built', function () {
    if (!fs.existsSync(path.join(root, 'media', 'webview.js'))) this.skip();
    const report = path.join(dir, 'report.html');
    const { code, stdout } = gradscope(['train', 'examples/universal-approximation.nn.json', '--epochs', '3', '--report', report]);
    assert.equal(code, EXIT.done);
    assert.match(stdout, new RegExp(`Report: ${report.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    const html = fs.readFileSync(report, 'utf8');
    const embedded = JSON.parse(/<script type="application\/json" id="gradscope-report-data">([\s\S]*?)<\/script>/.exec(html)![1]);
    assert.equal(embedded.frames.length, 4);
    assert.equal(embedded.meta.task, 'regression');
    assert.equal(embedded.frames[3].view.kind, 'curve');
    assert.doesNotMatch(html, /<script src=|<link [^>]*href="http/);
  });

  it('--landscape adds the loss landscape around the trained weights to the report, and asks for --report', async function () {
    if (!fs.existsSync(path.join(root, 'media', 'webview.js'))) this.skip();
    const alone = await inProcess(['train', 'examples/universal-approximation.nn.json', '--landscape']);
    assert.equal(alone.code, EXIT.badInput);
    assert.match(alone.stderr, /--landscape goes into the report: give --report FILE\.html too/);
    const report = path.join(dir, 'report-landscape.html');
    const { code } = await inProcess(['train', 'examples/universal-approximation.nn.json', '--epochs', '2', '--report', report, '--landscape']);
    assert.equal(code, EXIT.done);
    const html = fs.readFileSync(report, 'utf8');
    const embedded = JSON.parse(/<script type="application\/json" id="gradscope-report-data">([\s\S]*?)<\/script>/.exec(html)![1]);
    const landscape = embedded.landscape as { rows: number[][]; axis: number[]; lossAtTheta: number; min: { loss: number }; max: number };
    assert.equal(landscape.rows.length, 41);
    assert.equal(landscape.axis[20], 0);
    // The centre cell is θ itself: its loss is the loss at θ; the extremes bound every cell.
    assert.ok(Math.abs(landscape.rows[20][20] - landscape.lossAtTheta) <= 1e-12 * landscape.lossAtTheta);
    const cells = landscape.rows.flat();
    assert.equal(Math.min(...cells), landscape.min.loss);
    assert.equal(Math.max(...cells), landscape.max);
  });

  it('answers usage mistakes with exit 2 and the usage text', async () => {
    const none = await inProcess(['train']);
    assert.equal(none.code, EXIT.badInput);
    assert.match(none.stderr, /nothing to train/);
    const unknown = await inProcess(['train', 'x.nn.json', '--epoch', '3']);
    assert.equal(unknown.code, EXIT.badInput);
    assert.match(unknown.stderr, /unknown option '--epoch'/);
    const negative = await inProcess(['train', '--builtin', 'xor', '--epochs', '-1']);
    assert.match(negative.stderr, /--epochs must be a whole number ≥ 0, got '-1'/);
    const builtin = await inProcess(['train', '--builtin', 'spirl']);
    assert.match(builtin.stderr, /did you mean 'spiral'/);
    const missing = await inProcess(['train', path.join(dir, 'nope.nn.json')]);
    assert.equal(missing.code, EXIT.badInput);
    assert.match(missing.stderr, /cannot open config .*nope\.nn\.json: no such file/);
  });

  it('suggests the closest option, command, preset and file for a typo', async () => {
    const option = await inProcess(['train', 'x.nn.json', '--epoch', '20']);
    assert.match(option.stderr, /unknown option '--epoch' for 'gradscope train' — did you mean --epochs\?/);
    const inline = await inProcess(['train', '--row-limt=5', '--builtin', 'xor']);
    assert.match(inline.stderr, /unknown option '--row-limt' .* did you mean --row-limit\?/);
    // uat and landscape are loaded on demand (a dynamic import the bundle resolves): run them as a user does
    const landscape = gradscope(['landscape', 'x.nn.json', '--grdi', '3']);
    assert.match(landscape.stderr, /did you mean --grid\?/);
    const uat = gradscope(['uat', '--builtin', 'nielsen', '--bump', '5']);
    assert.match(uat.stderr, /did you mean --bumps\?/);
    const far = await inProcess(['train', '--builtin', 'xor', '--colour', 'red']);
    assert.match(far.stderr, /unknown option '--colour'/);
    assert.doesNotMatch(far.stderr, /did you mean/, 'no suggestion when nothing is close');
    const command = await inProcess(['trian', 'x.nn.json']);
    assert.equal(command.code, EXIT.badInput);
    assert.match(command.stderr, /unknown command 'trian' — did you mean 'train'\?/);
    const preset = await inProcess(['train', '--builtin', 'xor', '--preset', 'deep-sigmod']);
    assert.match(preset.stderr, /unknown preset 'deep-sigmod' — did you mean 'deep-sigmoid'\?/);

    const folder = fs.mkdtempSync(path.join(dir, 'data-'));
    fs.writeFileSync(path.join(folder, 'sine.csv'), 'x,y\n0,0\n1,0.84\n2,0.91\n3,0.14\n');
    fs.writeFileSync(path.join(folder, 'other.csv'), 'x,y\n0,0\n');
    const data = gradscope(['train', '--data', 'sinus.csv'], folder);
    assert.equal(data.code, EXIT.badInput);
    assert.match(data.stderr, /cannot open sinus\.csv: no such file — did you mean 'sine\.csv'\?/);
    const absolute = await inProcess(['train', '--data', path.join(folder, 'sinus.csv')]);
    assert.ok(absolute.stderr.includes(`did you mean '${path.join(folder, 'sine.csv')}'?`), absolute.stderr);
    const nothingClose = await inProcess(['train', '--data', path.join(folder, 'zzzzzzzz.tsv')]);
    assert.match(nothingClose.stderr, /no such file\n$/);
  });

  it('says what a value-taking option is missing, and keeps negative numbers as values', async () => {
    const missing = await inProcess(['train', '--builtin']);
    assert.equal(missing.code, EXIT.badInput);
    assert.match(missing.stderr, /--builtin needs a value \(NAME\)/);
    const flag = await inProcess(['train', '--builtin', 'xor', '--json=yes']);
    assert.match(flag.stderr, /--json takes no value/);
    const negative = await inProcess(['train', '--builtin', 'xor', '--epochs', '0', '--seed', '-5', '--json']);
    assert.equal(negative.code, EXIT.done, negative.stderr);
  });

  it('gives every subcommand its own --help (exit 0), listing that command\'s options', async () => {
    const expected: Record<string, RegExp[]> = {
      train: [/^Usage: gradscope train/, /--epochs N/, /--report FILE\.html/, /--help/],
      uat: [/^Usage: gradscope uat/, /--bumps N\[,N…\]/, /--steepness W/],
      landscape: [/^Usage: gradscope landscape/, /--grid N/, /--range R/],
    };
    for (const [command, patterns] of Object.entries(expected)) {
      for (const flag of ['--help', '-h']) {
        const { code, stdout, stderr } = command === 'train' ? await inProcess([command, flag]) : gradscope([command, flag]);
        assert.equal(code, EXIT.done, `${command} ${flag}: ${stderr}`);
        for (const p of patterns) assert.match(stdout, p, `${command} ${flag}`);
      }
    }
    const top = await inProcess(['--help']);
    assert.equal(top.code, EXIT.done);
    for (const command of ['train', 'uat', 'landscape', 'view', 'presets', 'datasets']) assert.match(top.stdout, new RegExp(`^  ${command} `, 'm'));
    // The overview only: one command's options are under `gradscope COMMAND --help` (they were appended once).
    assert.doesNotMatch(top.stdout, /--epochs/);
  });

  it('ends quietly with exit 0 when the reader of its output goes away (gradscope presets | head -1)', async function () {
    if (!fs.existsSync(path.join(root, 'dist', 'cli.js'))) this.skip();
    const bin = path.join(root, 'bin', 'gradscope.js');
    const cases = [
      ['presets'], ['datasets'], ['--help'], ['train', '--help'], ['uat', '--builtin', 'nielsen', '--bumps', '5,10'],
      ['train', '--builtin', 'xor', '--epochs', '2', '--every', '1', '--json'],
    ];
    // The reader (`true`) exits at once; the command starts writing a moment later, into a pipe nobody reads.
    const results = await Promise.all(cases.map(args => new Promise<{ args: string[]; code: number | null; stderr: string }>(resolve => {
      const script = `{ sleep 0.5; "${process.execPath}" "${bin}" ${args.map(a => `'${a}'`).join(' ')}; echo "exit=$?" >&2; } | true`;
      const child = spawn('bash', ['-c', script], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
      child.on('close', (code: number | null) => resolve({ args, code, stderr }));
    })));
    for (const r of results) {
      assert.equal(r.stderr.trim(), 'exit=0', `gradscope ${r.args.join(' ')}: ${r.stderr}`);
    }
  });
});

describe('gradscope view (a PyTorch run log)', function () {
  // the real command line in its own process: `view` is loaded on demand, as the bundle does
  this.timeout(120_000);
  const fixture = path.join(root, 'test', 'unit', 'pytorch', 'fixtures', 'sigmoid-mlp.jsonl');
  let dir: string;
  before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gradscope-view-')); });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('prints the run, its cadence and the per-module table of its latest snapshot', () => {
    const { code, stdout, stderr } = gradscope(['view', fixture]);
    assert.equal(code, EXIT.done, stderr);
    assert.equal(stderr, '');
    const lines = stdout.split('\n');
    assert.equal(lines[0], 'sigmoid-mlp · Sequential · torch 1.13.0a0 · every 5 steps · 3 snapshots · ended (close) after 11 steps');
    assert.match(lines[1], /^step 10 · loss 1\.053$/);
    assert.match(stdout, /^module +type +units +activation/m);
    assert.match(stdout, /^0 +Linear +8 +sigmoid \(1\)/m);
    assert.match(stdout, /^4 +Linear +1 +—/m);
  });

  it('says when a run was paced by its own cost (watch(…, max_overhead=…))', () => {
    const text = fs.readFileSync(fixture, 'utf8').replace('"every":5,', '"every":5,"maxOverhead":0.04,');
    const file = path.join(dir, 'paced.jsonl');
    fs.writeFileSync(file, text);
    const { code, stdout } = gradscope(['view', file]);
    assert.equal(code, EXIT.done);
    assert.match(stdout.split('\n')[0], / · every 5\+ steps, paced to 4 % overhead · 3 snapshots · /);
  });

  it('the loss: left out when w.step() was given none, printed when the run logged NaN', () => {
    const text = fs.readFileSync(fixture, 'utf8');
    const without = path.join(dir, 'no-loss.jsonl');
    fs.writeFileSync(without, text.replace(/"loss":[^,]+,/g, ''));
    assert.match(gradscope(['view', without]).stdout.split('\n')[1], /^step 10$/);
    const nan = path.join(dir, 'nan-loss.jsonl');
    const lines = text.split('\n');
    const last = lines.map(l => l.startsWith('{"type":"snapshot"')).lastIndexOf(true);
    lines[last] = lines[last].replace(/"loss":[^,]+,/, '"loss":null,"nonFinite":{"loss":"NaN"},');
    fs.writeFileSync(nan, lines.join('\n'));
    assert.match(gradscope(['view', nan]).stdout.split('\n')[1], /^step 10 · loss NaN$/);
  });

  it('--json: one object with the run, its modules and the latest snapshot', () => {
    const { code, stdout } = gradscope(['view', fixture, '--json']);
    assert.equal(code, EXIT.done);
    const out = JSON.parse(stdout) as { meta: { name: string }; modules: { name: string }[]; steps: number; latest: { step: number } };
    assert.equal(out.meta.name, 'sigmoid-mlp');
    assert.deepEqual(out.modules.map(m => m.name), ['0', '2', '4']);
    assert.equal(out.steps, 3);
    assert.equal(out.latest.step, 10);
  });

  it('a run still being written: its cut-off last line is reported with its line number, the rest is shown', () => {
    const text = fs.readFileSync(fixture, 'utf8');
    const file = path.join(dir, 'live.jsonl');
    fs.writeFileSync(file, text.slice(0, text.lastIndexOf('{"type":"end"') + 10));
    const { code, stdout, stderr } = gradscope(['view', file]);
    assert.equal(code, EXIT.done);
    assert.match(stderr, /^warning: .*live\.jsonl:5: the last line is incomplete/);
    assert.match(stdout, /· 3 snapshots · no end record \(still running, or stopped\)/);
  });

  it('a file that is not a run: one error for its first line and exit 2, not one per line', () => {
    const { code, stdout, stderr } = gradscope(['view', path.join(root, 'package.json')]);
    assert.equal(code, EXIT.badInput);
    assert.equal(stdout, '');
    const errors = stderr.trim().split('\n');
    assert.equal(errors.length, 2, stderr);
    assert.match(errors[0], /^error: .*package\.json:1: is not JSON/);
    assert.match(errors[1], /package\.json is not a gradscope run log/);
  });

  it('a missing file and a report that is not HTML: exit 2 with the reason', () => {
    const missing = gradscope(['view', path.join(dir, 'nope.jsonl')]);
    assert.equal(missing.code, EXIT.badInput);
    assert.match(missing.stderr, /no such file: .*nope\.jsonl/);
    const badReport = gradscope(['view', fixture, '--report', path.join(dir, 'out.txt')]);
    assert.equal(badReport.code, EXIT.badInput);
    assert.match(badReport.stderr, /--report writes HTML/);
  });

  it('--report writes the panel\'s offline page when the webview bundle is built', function () {
    if (!fs.existsSync(path.join(root, 'media', 'webview.js'))) this.skip();
    const out = path.join(dir, 'run.html');
    const { code, stderr } = gradscope(['view', fixture, '--report', out]);
    assert.equal(code, EXIT.done, stderr);
    const html = fs.readFileSync(out, 'utf8');
    assert.match(html, /^<!DOCTYPE html>/i);
    assert.match(html, /sigmoid-mlp/);
  });
});
