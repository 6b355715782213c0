import { strict as assert } from 'node:assert';
import { Network } from '../../../../src/core/nn/network';
import { Trainer } from '../../../../src/core/nn/trainer';
import { modelFromNetwork, modelFileText, parseModelFile } from '../../../../src/core/config/modelFile';
import { generateBuiltinDataset } from '../../../../src/core/data/builtinDatasets';
import { prepareData } from '../../../../src/core/data/prepare';
import { InputError } from '../../../../src/core/inputError';
import type { NetworkSpec, TrainSpec } from '../../../../src/core/types';

/** Every double bit for bit (Object.is also tells 0 from −0). */
function assertBitEqual(a: unknown, b: unknown, where = 'root'): void {
  if (typeof a === 'number' || typeof b === 'number') {
    assert.ok(Object.is(a, b), `${where}: ${String(a)} !== ${String(b)}`);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    assert.equal(a.length, b.length, `${where}: length`);
    a.forEach((v, i) => assertBitEqual(v, b[i], `${where}[${i}]`));
    return;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    assert.deepEqual(Object.keys(a).sort(), Object.keys(b).sort(), `${where}: keys`);
    for (const k of Object.keys(a)) assertBitEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${where}.${k}`);
    return;
  }
  assert.equal(a, b, where);
}

const spec: NetworkSpec = {
  inputs: 2,
  layers: [
    { type: 'linear', units: 12 },
    { type: 'batchnorm' },
    { type: 'activation', name: 'prelu', perUnit: true },
    { type: 'residual', layers: [{ type: 'linear', units: 8 }, { type: 'activation', name: 'leaky_relu', params: { slope: 0.2 } }] },
    { type: 'dropout', p: 0.1 },
    { type: 'linear', units: 6, bias: false },
    { type: 'activation', name: 'tanh' },
    { type: 'linear', units: 1 },
  ],
};

describe('model file', () => {
  it('round-trips a trained network bit for bit (weights, BN statistics, PReLU slopes, projections)', () => {
    const data = prepareData(generateBuiltinDataset('circle', { samples: 200, seed: 4 }), { validation: 0.2, normalize: true, seed: 4 });
    const train: TrainSpec = { network: spec, loss: 'bce', optimizer: { type: 'adam', lr: 0.01 }, batchSize: 16, epochs: 2, seed: 4 };
    const trainer = new Trainer(train, data);
    trainer.runSteps(25);
    const model = modelFromNetwork(trainer.network, { task: 'binary', standardisation: { mean: Array.from(data.mean), std: Array.from(data.std) } });
    const text = modelFileText(model);
    const loaded = parseModelFile(text, 'm.json');
    assert.deepEqual(loaded.spec, spec);
    const copy = new Network(loaded.spec, 99);
    copy.importParams(loaded.params);
    assertBitEqual(copy.exportParams(), trainer.network.exportParams());
    const before = trainer.network.predict(data.val.x, data.val.n);
    const after = copy.predict(data.val.x, data.val.n);
    assertBitEqual(Array.from(after), Array.from(before));
    assertBitEqual(loaded.file.standardisation, model.standardisation);
    // Saving the copy gives the same text.
    assert.equal(modelFileText(modelFromNetwork(copy, { task: 'binary', standardisation: model.standardisation })), text);
  });

  const minimal = (layers: unknown, inputs: unknown = 2) => JSON.stringify({ format: 'gradscope-model', version: 1, inputs, layers }, null, 1);

  it('checks shapes against the widths the layers imply, pointing at the place', () => {
    const text = [
      '{"format":"gradscope-model","version":1,"inputs":2,"layers":[',
      '{"type":"linear","weight":[[1,2],[3,4]],"bias":[0,0]},',
      '{"type":"linear","weight":[[1,2,3]],"bias":[0]}',
      ']}',
    ].join('\n');
    assert.throws(() => parseModelFile(text, 'm.json'), (e: unknown) => {
      assert.ok(e instanceof InputError);
      assert.equal(e.message, 'weight row 0 must have 2 columns, the width coming into this layer (got 3)');
      assert.deepEqual(e.location, { file: 'm.json', line: 3, column: '{"type":"linear","weight":['.length + 1 });
      return true;
    });
    assert.throws(() => parseModelFile(minimal([{ type: 'linear', weight: [[1, 2]], bias: [0, 1] }]), 'm.json'), /bias must hold 1 numbers \(got 2\)/);
    assert.throws(() => parseModelFile(minimal([{ type: 'linear', weight: [[1, 'x']] }]), 'm.json'), /weight\[0\]\[1\] is not a finite number/);
    assert.throws(() => parseModelFile(minimal([{ type: 'activation', name: 'sigmod' }]), 'm.json'), /unknown activation "sigmod" — did you mean 'sigmoid'\?/);
    assert.throws(() => parseModelFile(JSON.stringify({ format: 'gradscope-model', version: 2, inputs: 1, layers: [] }), 'm.json'), /version 2/);
  });

  it('refuses absurd sizes before allocating anything', () => {
    assert.throws(() => parseModelFile(minimal([{ type: 'linear', weight: [[1]] }], 1e12), 'm.json'), /"inputs" must be a whole number from 1 to 1,000,000/);
    // 8,000 rows of a 1,000,000-wide input would be 8·10⁹ parameters: refused from the row count alone.
    const rows = new Array(8000).fill(0).map(() => [] as number[]);
    assert.throws(() => parseModelFile(minimal([{ type: 'linear', weight: rows }], 1_000_000), 'm.json'), /more than 50,000,000 parameters: refused/);
    assert.throws(() => parseModelFile(minimal([{ type: 'linear', weight: new Array(9000).fill([1]) }], 1), 'm.json'), /9000 rows: at most 8192 units/);
  });
});
