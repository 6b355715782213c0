// The schema VS Code validates with and the parser must agree: what one accepts the other accepts, and the usual
// mistakes are refused by both.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { parse as parseJsonc } from 'jsonc-parser';
import { parseConfig } from '../../../../src/core/config/config';
import { NETWORK_PRESETS, presetConfigText } from '../../../../src/core/config/presets';

const root = path.resolve(__dirname, '../../../..');
const examples = path.join(root, 'examples');
const schema = JSON.parse(fs.readFileSync(path.join(root, 'schema', 'gradscope.nn.schema.json'), 'utf8'));
// VS Code's own keywords (enum descriptions, comment and trailing-comma flags) are not JSON Schema: strict off.
const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);

function bothOn(text: string): { schema: boolean; parser: boolean } {
  const value = parseJsonc(text, [], { allowTrailingComma: true });
  const parser = parseConfig(text, path.join(examples, 'agreement.nn.json'), { fileExists: () => true }).ok;
  return { schema: validate(value) as boolean, parser };
}

describe('config schema and parser agree', () => {
  it('both accept every example and every preset', () => {
    const texts = [
      ...fs.readdirSync(examples).filter(f => f.endsWith('.nn.json')).map(f => fs.readFileSync(path.join(examples, f), 'utf8')),
      ...NETWORK_PRESETS.map(p => presetConfigText(p.id, { builtin: 'spiral' })),
    ];
    for (const text of texts) {
      const value = parseJsonc(text, [], { allowTrailingComma: true });
      assert.equal(validate(value), true, `${JSON.stringify(validate.errors)}\n${text}`);
      assert.equal(parseConfig(text, path.join(examples, 'x.nn.json')).ok, true);
    }
  });

  const base = '"data": { "builtin": "xor" }';
  const cases: [string, string][] = [
    ['unknown key', `{ ${base}, "hiden": [8] }`],
    ['unknown activation', `{ ${base}, "hidden": [8], "activation": "sigmod" }`],
    ['non-canonical activation spelling', `{ ${base}, "hidden": [8], "activation": "ReLU" }`],
    ['zero units', `{ ${base}, "hidden": [8, 0] }`],
    ['fractional units', `{ ${base}, "hidden": [8.5] }`],
    ['unknown optimizer', `{ ${base}, "optimizer": "adamm" }`],
    ['negative learning rate', `{ ${base}, "optimizer": { "type": "sgd", "lr": -1 } }`],
    ['validation above 0.9', `{ "data": { "builtin": "xor", "validation": 0.95 } }`],
    ['unknown built-in dataset', `{ "data": { "builtin": "spirl" } }`],
    ['dropout of 1', `{ ${base}, "hidden": [8], "dropout": 1 }`],
    ['unknown init', `{ ${base}, "init": "kaiming" }`],
    ['unknown module type', `{ ${base}, "layers": [ { "type": "dense", "units": 8 }, { "type": "linear" } ] }`],
    ['three betas', `{ ${base}, "optimizer": { "type": "adam", "betas": [0.9, 0.99, 0.999] } }`],
    ['unknown loss', `{ ${base}, "loss": "hinge" }`],
  ];
  for (const [what, text] of cases) {
    it(`both refuse: ${what}`, () => {
      assert.deepEqual(bothOn(text), { schema: false, parser: false });
    });
  }

  it('both accept the forms the README shows', () => {
    for (const text of [
      `{ ${base}, "hidden": { "units": 32, "repeat": 10 }, "activation": { "name": "leaky_relu", "params": { "slope": 0.2 } }, "batchNorm": "after", "skip": 2 }`,
      `{ ${base}, "layers": [32, 16] }`,
      `{ ${base}, "layers": [ { "type": "linear", "units": 8, "init": { "type": "normal", "std": 1 } }, { "type": "prelu", "perUnit": true }, { "type": "repeat", "count": 2, "layers": [ { "units": 8, "activation": "tanh" } ] }, { "type": "residual", "layers": [ { "type": "linear", "units": 8 }, { "type": "activation", "name": "gelu" } ] }, { "type": "dropout", "p": 0.1 }, { "type": "batchnorm", "momentum": 0.1 }, { "type": "linear", "units": "auto" } ] }`,
      `{ ${base}, "lr": 0.1, "optimizer": "sgd", "init": "he_uniform", "loss": "bce", "epochs": 0, "seed": -3 }`,
    ]) assert.deepEqual(bothOn(text), { schema: true, parser: true }, text);
  });
});
