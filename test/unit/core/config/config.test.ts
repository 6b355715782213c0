import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { parseConfig, resolveNetwork, loadRun, ConfigError, countParameters, type ConfigIssue } from '../../../../src/core/config/config';
import { configSchemaText } from '../../../../src/core/config/configSchema';
import { NETWORK_PRESETS, presetConfigText, presetRun } from '../../../../src/core/config/presets';
import { activationNames } from '../../../../src/core/activations/activations';
import { InputError } from '../../../../src/core/inputError';
import { Trainer } from '../../../../src/core/nn/trainer';
import type { ModuleSpec } from '../../../../src/core/types';

const root = path.resolve(__dirname, '../../../..');
const examples = path.join(root, 'examples');
const configAt = path.join(examples, 'test.nn.json');

function issues(text: string): ConfigIssue[] {
  return parseConfig(text, configAt).errors;
}

/** The issue whose message matches, with where it points. */
function issue(text: string, pattern: RegExp): ConfigIssue {
  const all = issues(text);
  const found = all.find(i => pattern.test(i.message));
  assert.ok(found, `no issue matching ${pattern} in: ${all.map(i => i.message).join(' | ')}`);
  return found;
}

const linears = (layers: ModuleSpec[]): number[] => {
  const out: number[] = [];
  const walk = (mods: ModuleSpec[]) => mods.forEach(m => {
    if (m.type === 'linear') out.push(m.units);
    if (m.type === 'residual') walk(m.layers);
  });
  walk(layers);
  return out;
};

describe('config: errors with exact positions', () => {
  const text = [
    '{',
    '  // a comment, and trailing commas below',
    '  "data": { "file": "data/trian.csv", },',
    '  "hidden": [32, 0, 16],',
    '  "activation": "sigmod",',
    '  "optimzer": { "type": "adam" },',
    '  "optimizer": { "type": "adamm", "lr": -1 },',
    '}',
  ].join('\n');

  it('reports every error at once, in source order', () => {
    const all = issues(text);
    assert.deepEqual(all.map(i => [i.line, i.column, i.endLine, i.endColumn, i.path, i.severity]), [
      [3, 21, 3, 37, 'data.file', 'error'],
      [4, 18, 4, 19, 'hidden[1]', 'error'],
      [5, 17, 5, 25, 'activation', 'error'],
      [6, 3, 6, 13, 'optimzer', 'error'],
      [7, 26, 7, 33, 'optimizer.type', 'error'],
      [7, 41, 7, 43, 'optimizer.lr', 'error'],
    ]);
    assert.equal(all[0].offset, text.indexOf('"data/trian.csv"'));
    assert.equal(all[0].length, '"data/trian.csv"'.length);
  });

  it('says what is allowed', () => {
    assert.match(issue(text, /data\.file/).message, /^data\.file 'data\/trian\.csv' not found/);
    assert.equal(issue(text, /units/).message, 'layer 2 has 0 units — a layer needs at least 1');
    assert.equal(issue(text, /activation/).message, "unknown activation 'sigmod' — did you mean 'sigmoid'?");
    assert.equal(issue(text, /optimzer/).message, "unknown key 'optimzer' — did you mean 'optimizer'?");
    assert.equal(issue(text, /adamm/).message, "unknown optimizer 'adamm' — did you mean 'adam'? (allowed: sgd, momentum, adam, adamw)");
    assert.equal(issue(text, /lr/).message, 'optimizer.lr is -1: it must be > 0');
  });

  it('suggests the data file that is there', () => {
    const text2 = '{ "data": { "file": "data/exam.csv" }, "hidden": [4] }';
    assert.equal(issue(text2, /not found/).message, "data.file 'data/exam.csv' not found — did you mean 'data/exams.csv'?");
  });

  it('reports JSON syntax errors at their place, with comments and trailing commas allowed', () => {
    const ok = parseConfig('{ /* c */ "data": { "builtin": "xor", }, "hidden": [8,], }', configAt);
    assert.equal(ok.ok, true, ok.errors.map(e => e.message).join('; '));
    const bad = issues('{\n  "data": { "builtin": "xor" }\n  "hidden": [8]\n}');
    assert.equal(bad[0].message, "JSON syntax: expected ',' between entries");
    assert.deepEqual([bad[0].line, bad[0].column], [3, 3]);
  });

  it('checks activation params and module types against the tables', () => {
    const t = '{ "data": { "builtin": "xor" }, "layers": [ { "type": "linear", "units": 8 }, { "type": "leaky_relu", "params": { "slop": 0.2 } }, { "type": "dense", "units": 3 }, { "type": "linear" } ] }';
    assert.match(issue(t, /slop/).message, /leaky_relu has no parameter "slop".* — did you mean 'slope'\?/);
    assert.match(issue(t, /dense/).message, /^unknown module type 'dense' — did you mean 'linear'\?/);
  });

  it('reports a problem of the parameters together on the params object', () => {
    const t = '{ "data": { "builtin": "xor" }, "hidden": [4], "activation": { "name": "hardtanh", "params": { "min": 0.5, "max": 0.2 } } }';
    const found = issue(t, /hardtanh/);
    assert.equal(found.message, 'hardtanh.min must be below hardtanh.max');
    assert.equal(found.offset, t.indexOf('{ "min"'));
    assert.equal(parseConfig(t.replace('0.5', '-0.5'), configAt).ok, true);
  });

  it('accepts only the canonical activation names the schema lists, suggesting them for other spellings', () => {
    assert.equal(issue('{ "data": { "builtin": "xor" }, "hidden": [4], "activation": "ReLU" }', /activation/).message, "unknown activation 'ReLU' — did you mean 'relu'?");
    for (const name of activationNames()) {
      const r = parseConfig(`{ "data": { "builtin": "xor" }, "hidden": [4], "activation": "${name}" }`, configAt);
      assert.equal(r.ok, true, `${name}: ${r.errors.map(e => e.message).join('; ')}`);
    }
  });

  it('refuses an auto-sized layer that is not the output layer', () => {
    const t = '{ "data": { "builtin": "xor" }, "layers": [ { "type": "linear" }, { "type": "relu" }, { "type": "linear" } ] }';
    assert.equal(issue(t, /needs 'units'/).message, "layer 1 needs 'units' (only the output layer, the last linear module, takes its width from the data)");
  });
});

describe('config: robustness', () => {
  it('never throws, whatever the text (fuzz), and every issue lies inside the text', () => {
    const fragments = fc.constantFrom('{', '}', '[', ']', ',', ':', '"data"', '"hidden"', '"layers"', '"type"', '"linear"', '"units"',
      '"repeat"', '"count"', '"residual"', '"activation"', '"relu"', '"sigmod"', '"optimizer"', '"lr"', '"builtin"', '"xor"', '"skip"',
      '0', '-1', '32', '1e999', 'true', 'null', '// c\n', '/*', '"', '\n', ' ');
    fc.assert(fc.property(fc.array(fragments, { maxLength: 60 }).map(parts => parts.join('')), text => {
      const result = parseConfig(text, configAt, { fileExists: () => true });
      for (const i of result.errors) {
        assert.ok(i.offset >= 0 && i.offset + i.length <= text.length + 1, JSON.stringify(i));
        assert.ok(i.line >= 1 && i.column >= 1);
      }
      if (result.ok) assert.ok(result.run);
    }), { numRuns: 2000 });
  });
});

describe('config: the network it builds', () => {
  it('expands hidden + activation + batchNorm + dropout, output layer sized by the data', () => {
    const r = parseConfig('{ "data": { "builtin": "spiral" }, "hidden": [16, 8], "activation": "tanh", "batchNorm": "after", "dropout": 0.1, "init": "he_normal" }', configAt);
    assert.ok(r.run, r.errors.map(e => e.message).join('; '));
    const spec = resolveNetwork(r.run, 2, 1, 'binary');
    assert.deepEqual(spec.network.layers.map(m => m.type === 'activation' ? m.name : m.type), [
      'linear', 'tanh', 'batchnorm', 'dropout', 'linear', 'tanh', 'batchnorm', 'dropout', 'linear',
    ]);
    assert.deepEqual(linears(spec.network.layers), [16, 8, 1]);
    assert.equal(spec.loss, 'bce');
    assert.deepEqual((spec.network.layers[0] as { init?: unknown }).init, { type: 'he_normal' });
    assert.equal(countParameters(spec.network), 2 * 16 + 16 + 2 * 16 + 16 * 8 + 8 + 2 * 8 + 8 + 1);
  });

  it('groups hidden layers into residual blocks every `skip` layers after the stem', () => {
    const r = parseConfig('{ "data": { "builtin": "xor" }, "hidden": { "units": 8, "repeat": 6 }, "activation": "relu", "skip": 2 }', configAt);
    const layers = r.run!.network.layers;
    assert.deepEqual(layers.map(m => m.type), ['linear', 'activation', 'residual', 'residual', 'linear', 'activation', 'linear']);
    assert.deepEqual(r.layerLocations.map(l => l.specPath), [
      'layers[0]', 'layers[2].layers[0]', 'layers[2].layers[2]', 'layers[3].layers[0]', 'layers[3].layers[2]', 'layers[4]', 'layers[6]',
    ]);
  });

  it('maps each linear layer to the line that wrote it, including repeat copies', () => {
    const text = [
      '{',
      '  "data": { "builtin": "sine" },',
      '  "layers": [',
      '    { "type": "linear", "units": 16, "activation": "tanh" },',
      '    { "type": "repeat", "count": 3, "layers": [',
      '      { "type": "linear", "units": 16 },',
      '      { "type": "tanh" },',
      '    ] },',
      '    { "type": "linear" },',
      '  ],',
      '}',
    ].join('\n');
    const r = parseConfig(text, configAt);
    assert.ok(r.ok, r.errors.map(e => e.message).join('; '));
    assert.deepEqual(r.layerLocations.map(l => [l.index, l.line, l.path, l.output]), [
      [0, 4, 'layers[0]', false], [1, 6, 'layers[1].layers[0]', false], [2, 6, 'layers[1].layers[0]', false],
      [3, 6, 'layers[1].layers[0]', false], [4, 9, 'layers[2]', true],
    ]);
    assert.deepEqual(linears(resolveNetwork(r.run!, 1, 1, 'regression').network.layers), [16, 16, 16, 16, 1]);
  });

  it('maps shorthand layers to their hidden entries', () => {
    const text = '{\n  "data": { "builtin": "sine" },\n  "hidden": [\n    8,\n    4\n  ],\n  "output": "linear"\n}';
    const r = parseConfig(text, configAt);
    assert.deepEqual(r.layerLocations.map(l => [l.line, l.column, l.path]), [[4, 5, 'hidden[0]'], [5, 5, 'hidden[1]'], [7, 13, 'output']]);
  });

  it('fills defaults and refuses a loss that does not fit the task', () => {
    const r = parseConfig('{ "data": { "builtin": "sine" }, "hidden": [4], "loss": "bce" }', configAt);
    assert.equal(r.run!.train.optimizer.type, 'adam');
    assert.equal(r.run!.train.optimizer.lr, 0.01);
    assert.equal(r.run!.train.batchSize, 32);
    assert.throws(() => resolveNetwork(r.run!, 1, 1, 'regression'), (e: unknown) => e instanceof InputError && /loss 'bce' needs exactly two classes/.test(e.message));
  });
});

describe('config: schema, presets, examples', () => {
  it('the committed schema equals the one generated from the tables', () => {
    const committed = fs.readFileSync(path.join(root, 'schema', 'gradscope.nn.schema.json'), 'utf8');
    assert.equal(committed, configSchemaText(), 'run `npx tsx scripts/gen-schema.ts` and commit the result');
    const schema = JSON.parse(committed);
    assert.deepEqual(schema.definitions.activation.oneOf[0].enum, activationNames());
    // Every property has a description (VS Code shows it on hover).
    const undocumented: string[] = [];
    const visit = (node: unknown, where: string) => {
      if (!node || typeof node !== 'object') return;
      const n = node as Record<string, unknown>;
      if (n.properties && typeof n.properties === 'object') {
        for (const [k, v] of Object.entries(n.properties as Record<string, Record<string, unknown>>)) {
          if (typeof v.description !== 'string' && !(v.const !== undefined && where.includes('module'))) undocumented.push(`${where}.${k}`);
          visit(v, `${where}.${k}`);
        }
      }
      for (const key of ['oneOf', 'items', 'definitions']) {
        const child = n[key];
        if (Array.isArray(child)) child.forEach((c, i) => visit(c, `${where}.${key}[${i}]`));
        else if (child && typeof child === 'object') {
          if (key === 'definitions') for (const [k, v] of Object.entries(child)) visit(v, `${where}.${k}`);
          else visit(child, `${where}.${key}`);
        }
      }
    };
    visit(schema, 'root');
    assert.deepEqual(undocumented, []);
  });

  it('every preset writes a config that parses, and keeps its story', () => {
    for (const preset of NETWORK_PRESETS) {
      const text = presetConfigText(preset.id, { file: 'data/exams.csv' });
      const r = parseConfig(text, configAt);
      assert.equal(r.ok, true, `${preset.id}: ${r.errors.map(e => e.message).join('; ')}`);
      assert.ok(text.startsWith(`// ${preset.label}`));
    }
    const sigmoid = presetRun('deep-sigmoid', { builtin: 'spiral' }, configAt);
    assert.equal(linears(sigmoid.network.layers).length, 11);
    assert.deepEqual(presetRun('residual', { builtin: 'spiral' }, configAt).network.layers.filter(m => m.type === 'residual').length, 4);
  });

  it('every bundled example config parses without errors', () => {
    const files = fs.readdirSync(examples).filter(f => f.endsWith('.nn.json'));
    assert.ok(files.length >= 5);
    for (const f of files) {
      const r = parseConfig(fs.readFileSync(path.join(examples, f), 'utf8'), path.join(examples, f));
      assert.deepEqual(r.errors.map(e => e.message), [], f);
    }
  });
});

describe('loadRun', () => {
  it('goes from a config to prepared data and a sized network', async () => {
    const run = await loadRun({ kind: 'config', configPath: path.join(examples, 'deep-relu-he.nn.json') });
    assert.equal(run.data.task, 'multiclass');
    assert.deepEqual(run.data.classes, ['Adelie', 'Chinstrap', 'Gentoo']);
    assert.equal(run.train.loss, 'cross_entropy');
    assert.deepEqual(linears(run.train.network.layers).slice(-1), [3]);
    assert.equal(run.train.network.inputs, 4);
  });

  it('points a data error at the config line that caused it', async () => {
    const text = '{\n  "data": {\n    "file": "data/exams.csv",\n    "target": "admited"\n  },\n  "hidden": [4]\n}';
    await assert.rejects(loadRun({ kind: 'config', configPath: configAt, configText: text }), (e: unknown) => {
      assert.ok(e instanceof InputError);
      assert.match(e.message, /target column 'admited' is not in exams\.csv — did you mean 'admitted'\?/);
      assert.deepEqual([e.location?.line, e.location?.column], [4, 15]);
      return true;
    });
  });

  it('throws a ConfigError carrying every config error', async () => {
    await assert.rejects(loadRun({ kind: 'config', configPath: configAt, configText: '{ "data": { "builtin": "spirl" }, "hidden": [0] }' }), (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.equal(e.describeAll().length, 2);
      assert.match(e.message, /did you mean 'spiral'\?.* \(and 1 more problem\)$/);
      return true;
    });
  });

  it('locates each linear layer at the path the engine probes report', async () => {
    const run = await loadRun({ kind: 'builtin', builtin: 'xor', preset: 'residual' }, { epochs: 0 }, presetConfigText);
    const probes = new Trainer(run.train, run.data).step0Diagnostics().layers;
    assert.deepEqual(run.layerLocations.map(l => l.specPath), probes.map(p => p.path));
    assert.deepEqual(run.layerLocations.map(l => l.index), probes.map(p => p.index));
  });

  it('runs a preset on a data file', async () => {
    const run = await loadRun({ kind: 'dataset', dataPath: path.join(examples, 'data', 'turbine.json'), preset: 'one-hidden' }, {}, presetConfigText);
    assert.equal(run.data.task, 'regression');
    assert.deepEqual(run.data.inputNames, ['wind_speed']);
    assert.equal(run.train.epochs, 300);
  });
});
