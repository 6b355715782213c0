import assert from 'node:assert/strict';
import { parse, type ParseError } from 'jsonc-parser';
import { applyConfigFix, configFixEdits } from '../../../../src/core/config/configFixes';

function parseStrict(text: string): any {
  const errors: ParseError[] = [];
  const value = parse(text, errors, { allowTrailingComma: true });
  assert.deepEqual(errors, [], `edited config does not parse:\n${text}`);
  return value;
}

const shorthand = `// a deep sigmoid stack
{
  "data": { "builtin": "spiral" }, // keep this comment
  "hidden": [32, 32, 32, 32, 32, 32],
  "activation": "sigmoid",
  "init": "xavier_normal",
  "optimizer": { "type": "sgd", "lr": 0.3 },
  "epochs": 5,
}
`;

const explicit = `{
  "data": { "file": "train.csv" },
  "layers": [
    { "type": "linear", "units": 16, "init": { "type": "xavier_normal" } },
    { "type": "activation", "name": "sigmoid" },
    // hidden 2
    { "type": "linear", "units": 16 },
    { "type": "activation", "name": "leaky_relu", "params": { "slope": 0.2 } },
    { "type": "linear", "units": 16 },
    { "type": "activation", "name": "tanh" },
    { "type": "linear", "units": 16 },
    { "type": "activation", "name": "tanh" },
    { "type": "linear", "units": 16 },
    { "type": "activation", "name": "tanh" },
    { "type": "linear", "units": 1 },
    { "type": "activation", "name": "sigmoid" }
  ],
  "lr": 0.003
}`;

describe('config quick fixes (JSON edits)', () => {
  it('switches a shorthand config to ReLU with He init, keeping comments and the rest', () => {
    const fixed = applyConfigFix(shorthand, 'reluHe');
    const value = parseStrict(fixed);
    assert.equal(value.activation, 'relu');
    assert.equal(value.init, 'he_normal');
    assert.deepEqual(value.hidden, [32, 32, 32, 32, 32, 32]);
    assert.ok(fixed.includes('// keep this comment') && fixed.startsWith('// a deep sigmoid stack'));
    // One edit spanning only what changed.
    const [edit] = configFixEdits(shorthand, 'reluHe');
    assert.equal(shorthand.slice(0, edit.offset).includes('"activation": "'), true);
  });

  it('switches explicit hidden activations to SELU with LeCun init, leaving the output activation', () => {
    const fixed = applyConfigFix(explicit, 'seluLecun');
    const value = parseStrict(fixed);
    // Written one module per line before, still one per line after.
    assert.ok(fixed.includes('{ "type": "linear", "units": 16, "init": { "type": "lecun_normal" } },\n'));
    assert.ok(fixed.includes('{ "type": "activation", "name": "selu" },\n    { "type": "linear"'));
    const names = value.layers.filter((m: any) => m.type === 'activation').map((m: any) => m.name);
    assert.deepEqual(names, ['selu', 'selu', 'selu', 'selu', 'selu', 'sigmoid']);
    assert.equal(value.layers[3].params, undefined, 'leaky slope dropped with the activation');
    assert.deepEqual(value.layers[0].init, { type: 'lecun_normal' });
    assert.equal(value.init, 'lecun_normal');
  });

  it('adds batch norm after each hidden linear layer (explicit) or as the shorthand flag', () => {
    const value = parseStrict(applyConfigFix(explicit, 'batchNorm'));
    const types = value.layers.map((m: any) => m.type);
    assert.ok(applyConfigFix(explicit, 'batchNorm').includes('{ "type": "linear", "units": 16 },\n    { "type": "batchnorm" },\n'));
    assert.deepEqual(types, ['linear', 'batchnorm', 'activation', 'linear', 'batchnorm', 'activation', 'linear',
      'batchnorm', 'activation', 'linear', 'batchnorm', 'activation', 'linear', 'batchnorm', 'activation', 'linear', 'activation']);
    assert.equal(parseStrict(applyConfigFix(shorthand, 'batchNorm')).batchNorm, true);
    // Applying it twice changes nothing more.
    assert.deepEqual(configFixEdits(applyConfigFix(shorthand, 'batchNorm'), 'batchNorm'), []);
  });

  it('wraps hidden layers in residual blocks of two, keeping the comment inside', () => {
    const fixed = applyConfigFix(explicit, 'skipEvery2');
    const value = parseStrict(fixed);
    const types = value.layers.map((m: any) => m.type);
    assert.deepEqual(types, ['linear', 'activation', 'residual', 'residual', 'linear', 'activation']);
    assert.deepEqual(value.layers[2].layers.map((m: any) => m.type), ['linear', 'activation', 'linear', 'activation']);
    assert.equal(value.layers[2].layers[1].name, 'leaky_relu');
    assert.ok(fixed.includes('// hidden 2'));
    assert.equal(parseStrict(applyConfigFix(shorthand, 'skipEvery2')).skip, 2);
  });

  it('lowers the learning rate tenfold wherever it is written, or from the default', () => {
    assert.equal(parseStrict(applyConfigFix(shorthand, 'lowerLr')).optimizer.lr, 0.03);
    assert.equal(parseStrict(applyConfigFix(explicit, 'lowerLr')).lr, 0.0003);
    const bare = '{ "hidden": [4], "optimizer": "adam" }';
    assert.deepEqual(parseStrict(applyConfigFix(bare, 'lowerLr', { defaultLr: 0.001 })).optimizer, { type: 'adam', lr: 0.0001 });
  });

  it('handles activations named by their type and modules inside repeat blocks', () => {
    const text = `{
  "layers": [
    { "type": "dense", "units": 8 }, { "type": "sigmoid" },
    { "type": "repeat", "count": 6, "layers": [{ "type": "linear", "units": 8 }, { "type": "tanh" }] },
    { "type": "linear" }, { "type": "sigmoid" }
  ]
}`;
    const relu = parseStrict(applyConfigFix(text, 'reluHe'));
    assert.equal(relu.layers[1].type, 'relu');
    assert.equal(relu.layers[2].layers[1].type, 'relu');
    assert.equal(relu.layers[4].type, 'sigmoid', 'the output activation stays');
    const bn = parseStrict(applyConfigFix(text, 'batchNorm'));
    assert.deepEqual(bn.layers[3].layers.map((m: any) => m.type), ['linear', 'batchnorm', 'tanh']);
    assert.deepEqual(bn.layers.map((m: any) => m.type), ['dense', 'batchnorm', 'sigmoid', 'repeat', 'linear', 'sigmoid']);
  });

  it('offers nothing on text that is not a JSON object', () => {
    assert.deepEqual(configFixEdits('[1, 2]', 'reluHe'), []);
    assert.deepEqual(configFixEdits('', 'batchNorm'), []);
  });
});
