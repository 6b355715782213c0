import * as assert from 'node:assert/strict';
import { findActivationAt, findAllActivations, type ActivationReference, type RecognizeOptions } from '../../../../src/core/activations/activationRecognizer';

/** The reference found when hovering the first occurrence of `target` in `code` (middle of the word). */
function hover(code: string, target: string, options: RecognizeOptions = { languageId: 'python' }, occurrence = 0): ActivationReference | undefined {
  let index = -1;
  for (let i = 0; i <= occurrence; i++) index = code.indexOf(target, index + 1);
  assert.ok(index >= 0, `"${target}" is not in the snippet`);
  return findActivationAt(code, index + Math.floor(target.length / 2), options);
}

function expectName(code: string, target: string, name: string, options?: RecognizeOptions): ActivationReference {
  const ref = hover(code, target, options);
  assert.ok(ref, `expected ${name} at "${target}" in:\n${code}`);
  assert.equal(ref.name, name);
  return ref;
}

describe('activation recogniser', () => {
  describe('PyTorch', () => {
    const model = [
      'import torch',
      'import torch.nn as nn',
      'import torch.nn.functional as F',
      '',
      'class Net(nn.Module):',
      '    def __init__(self):',
      '        super().__init__()',
      '        self.body = nn.Sequential(',
      '            nn.Linear(2, 32), nn.Sigmoid(),',
      '            nn.Linear(32, 32), nn.LeakyReLU(0.2),',
      '            nn.Linear(32, 32), nn.ELU(alpha=0.5),',
      '            nn.Linear(32, 32), nn.Softplus(beta=2),',
      '            nn.Linear(32, 32), nn.GELU(approximate="tanh"),',
      '            nn.Linear(32, 32), nn.PReLU(),',
      '            nn.Linear(32, 32), nn.ReLU(inplace=True),',
      '            nn.Hardtanh(-2.0, 2.0), nn.ReLU6(), nn.Hardsigmoid(), nn.SELU(), nn.SiLU(), nn.Mish(), nn.Softsign(), nn.Tanh(),',
      '        )',
      '',
      '    def forward(self, x):',
      '        x = F.relu(self.body(x))',
      '        x = F.leaky_relu(x, 0.1)',
      '        x = torch.nn.functional.gelu(x)',
      '        return torch.sigmoid(x) + torch.relu(x) + torch.tanh(x)',
    ].join('\n');

    it('finds every module class with the table name', () => {
      const expected: [string, string][] = [
        ['nn.Sigmoid', 'sigmoid'], ['nn.LeakyReLU', 'leaky_relu'], ['nn.ELU', 'elu'], ['nn.Softplus', 'softplus'],
        ['nn.GELU', 'gelu_tanh'], ['nn.PReLU', 'prelu'], ['nn.ReLU(', 'relu'], ['nn.Hardtanh', 'hardtanh'],
        ['nn.ReLU6', 'relu6'], ['nn.Hardsigmoid', 'hardsigmoid'], ['nn.SELU', 'selu'], ['nn.SiLU', 'silu'],
        ['nn.Mish', 'mish'], ['nn.Softsign', 'softsign'], ['nn.Tanh', 'tanh'],
      ];
      for (const [target, name] of expected) {
        const ref = expectName(model, target, name);
        assert.equal(ref.framework, 'pytorch', target);
      }
    });

    it('reads parameters written at the call site', () => {
      assert.deepEqual(expectName(model, 'nn.LeakyReLU', 'leaky_relu').params, { slope: 0.2 });
      assert.deepEqual(expectName(model, 'nn.ELU', 'elu').params, { alpha: 0.5 });
      assert.deepEqual(expectName(model, 'nn.Softplus', 'softplus').params, { beta: 2, threshold: 20 });
      assert.deepEqual(expectName(model, 'nn.Hardtanh', 'hardtanh').params, { min: -2, max: 2 });
      assert.deepEqual(expectName(model, 'F.leaky_relu', 'leaky_relu').params, { slope: 0.1 });
      const prelu = expectName(model, 'nn.PReLU', 'prelu');
      assert.deepEqual(prelu.params, { slope: 0.25 });
      assert.deepEqual(prelu.writtenParams, []);
      assert.deepEqual(expectName(model, 'nn.LeakyReLU', 'leaky_relu').writtenParams, ['slope']);
    });

    it('takes the exact GELU unless approximate="tanh" is written', () => {
      expectName('act = nn.GELU()', 'GELU', 'gelu');
      expectName('act = nn.GELU(approximate="none")', 'GELU', 'gelu');
      expectName("y = F.gelu(x, approximate='tanh')", 'gelu', 'gelu_tanh');
      expectName(model, 'torch.nn.functional.gelu', 'gelu');
    });

    it('finds functional and torch.* forms, hovering any part of the dotted name', () => {
      expectName(model, 'F.relu', 'relu');
      expectName(model, 'torch.sigmoid', 'sigmoid');
      expectName(model, 'torch.relu', 'relu');
      expectName(model, 'torch.tanh', 'tanh');
      const onQualifier = findActivationAt('m = nn.Sigmoid()', 5, { languageId: 'python' });
      assert.equal(onQualifier?.name, 'sigmoid');
      assert.equal(onQualifier?.spelling, 'nn.Sigmoid');
    });

    it('reads arguments that continue on the next line', () => {
      const code = 'act = nn.LeakyReLU(\n    negative_slope=0.3,\n    inplace=True,\n)';
      assert.deepEqual(expectName(code, 'LeakyReLU', 'leaky_relu').params, { slope: 0.3 });
    });

    it('reads a PReLU init written at the call site', () => {
      assert.deepEqual(expectName('p = nn.PReLU(num_parameters=32, init=0.1)', 'PReLU', 'prelu').params, { slope: 0.1 });
      assert.deepEqual(expectName('p = nn.PReLU(32, 0.05)', 'PReLU', 'prelu').params, { slope: 0.05 });
    });
  });

  describe('TensorFlow and Keras', () => {
    const code = [
      'import tensorflow as tf',
      'from tensorflow import keras',
      'from tensorflow.keras import layers',
      'model = keras.Sequential([',
      '    layers.Dense(64, activation="selu", kernel_initializer="lecun_normal"),',
      "    layers.Dense(64, activation='relu'),",
      '    layers.Dense(64, activation=tf.nn.leaky_relu),',
      '    layers.LeakyReLU(),',
      '    layers.PReLU(),',
      '    layers.Activation("gelu"),',
      '    layers.Dense(1, activation="linear"),',
      '])',
      'y = tf.nn.leaky_relu(x, alpha=0.1)',
      'z = keras.activations.swish(x)',
      'h = tf.keras.activations.hard_sigmoid(x)',
      'r = layers.ReLU(max_value=6)',
    ].join('\n');

    it('recognises activation="…" strings, including generic words there', () => {
      expectName(code, 'selu', 'selu');
      expectName(code, "'relu'", 'relu');
      expectName(code, 'gelu', 'gelu');
      expectName(code, 'linear', 'linear');
    });

    it('does not take other string arguments for activations', () => {
      assert.equal(hover(code, 'lecun_normal'), undefined);
    });

    it('uses TensorFlow’s and Keras’ defaults, not PyTorch’s', () => {
      const reference = expectName(code, 'tf.nn.leaky_relu),', 'leaky_relu');
      assert.equal(reference.framework, 'tensorflow');
      assert.deepEqual(reference.params, { slope: 0.2 }, 'tf.nn.leaky_relu defaults to alpha = 0.2');
      assert.deepEqual(expectName(code, 'layers.LeakyReLU', 'leaky_relu').params, { slope: 0.3 }, 'Keras LeakyReLU defaults to 0.3');
      const prelu = expectName(code, 'layers.PReLU', 'prelu');
      assert.deepEqual(prelu.params, { slope: 0 }, 'Keras PReLU starts its slope at 0');
      assert.ok(prelu.note);
      assert.deepEqual(expectName(code, 'tf.nn.leaky_relu(x', 'leaky_relu').params, { slope: 0.1 });
    });

    it('finds keras.activations.* and turns ReLU(max_value=6) into relu6', () => {
      expectName(code, 'keras.activations.swish', 'swish');
      expectName(code, 'hard_sigmoid', 'hardsigmoid');
      expectName(code, 'layers.ReLU', 'relu6');
    });
  });

  describe('JAX and Flax', () => {
    const code = [
      'import jax',
      'import flax.linen as nn',
      'class MLP(nn.Module):',
      '    @nn.compact',
      '    def __call__(self, x):',
      '        x = nn.Dense(32)(x)',
      '        x = nn.gelu(x)',
      '        x = jax.nn.silu(x)',
      '        x = jax.nn.leaky_relu(x)',
      '        x = jax.nn.gelu(x, approximate=False)',
      '        x = nn.PReLU()(x)',
      '        return nn.sigmoid(x)',
    ].join('\n');
    const options = { languageId: 'python', flax: true };

    it('knows jax.nn.gelu and flax nn.gelu default to the tanh approximation', () => {
      expectName(code, 'nn.gelu', 'gelu_tanh', options);
      expectName(code, 'jax.nn.gelu', 'gelu', options);
    });

    it('finds jax.nn.* and flax nn.* with JAX defaults', () => {
      expectName(code, 'jax.nn.silu', 'silu', options);
      assert.deepEqual(expectName(code, 'jax.nn.leaky_relu', 'leaky_relu', options).params, { slope: 0.01 });
      expectName(code, 'nn.sigmoid', 'sigmoid', options);
      const prelu = expectName(code, 'nn.PReLU', 'prelu', options);
      assert.equal(prelu.framework, 'flax');
      assert.deepEqual(prelu.params, { slope: 0.01 });
    });

    it('does not treat nn.Dense or nn.compact as activations', () => {
      assert.equal(hover(code, 'nn.Dense', options), undefined);
      assert.equal(hover(code, 'nn.compact', options), undefined);
    });
  });

  describe('TensorFlow.js', () => {
    const code = [
      "import * as tf from '@tensorflow/tfjs';",
      'const model = tf.sequential();',
      "model.add(tf.layers.dense({ units: 16, activation: 'relu', inputShape: [2] }));",
      'model.add(tf.layers.leakyReLU({ alpha: 0.15 }));',
      "model.add(tf.layers.dense({ units: 1, activation: 'sigmoid' }));",
      'const y = tf.leakyRelu(x);',
      'const z = tf.elu(x);',
    ].join('\n');
    const options = { languageId: 'typescript' };

    it('finds layer configs, layer classes and ops with tfjs defaults', () => {
      expectName(code, "'relu'", 'relu', options);
      expectName(code, "'sigmoid'", 'sigmoid', options);
      const layer = expectName(code, 'leakyReLU', 'leaky_relu', options);
      assert.equal(layer.framework, 'tfjs');
      assert.deepEqual(layer.params, { slope: 0.15 });
      assert.deepEqual(expectName(code, 'tf.leakyRelu', 'leaky_relu', options).params, { slope: 0.2 });
      expectName(code, 'tf.elu', 'elu', options);
    });
  });

  describe('configs, JSON and YAML', () => {
    it('reads "activation" keys in JSON and every activation string in a *.nn.json', () => {
      const json = '{\n  "hidden": [32, 32],\n  "activation": "serlu",\n  "output": "linear",\n  "name": "relu experiment"\n}';
      expectName(json, 'serlu', 'serlu', { languageId: 'json' });
      assert.equal(hover(json, 'linear', { languageId: 'json' }), undefined, 'outside a config, "output" is no activation key');
      expectName(json, 'linear', 'linear', { languageId: 'json', isConfig: true });
      assert.equal(hover(json, 'relu experiment', { languageId: 'json', isConfig: true }), undefined, 'a phrase is not a name');
    });

    it('tells activations from layers and datasets in a *.nn.json', () => {
      const config = [
        '{',
        '  "data": { "builtin": "sine", "noise": 0.1 },',
        '  "layers": [',
        '    { "type": "linear", "units": 32 },',
        '    { "type": "activation", "name": "tanh" },',
        '    { "type": "relu" },',
        '    { "type": "linear" }',
        '  ],',
        '  "output": "sigmoid",',
        '  "optimizer": { "type": "momentum", "lr": 0.01 }',
        '}',
      ].join('\n');
      const options = { languageId: 'jsonc', isConfig: true };
      assert.equal(hover(config, 'sine', options), undefined, 'a built-in dataset named sine');
      assert.equal(hover(config, 'linear', options), undefined, 'a linear layer');
      expectName(config, 'tanh', 'tanh', options);
      expectName(config, '"relu"', 'relu', options);
      expectName(config, 'sigmoid', 'sigmoid', options);
      assert.equal(hover(config, 'momentum', options), undefined);
    });

    it('reads YAML and Hugging Face style keys', () => {
      const yaml = 'model:\n  hidden_act: gelu_new\n  activation: step\n  optimizer: adam\n';
      expectName(yaml, 'gelu_new', 'gelu_tanh', { languageId: 'yaml' });
      expectName(yaml, 'step', 'step', { languageId: 'yaml' });
      assert.equal(hover(yaml, 'adam', { languageId: 'yaml' }), undefined);
    });
  });

  describe('Julia, R and plain names', () => {
    it('finds Flux activations, including σ', () => {
      const julia = 'model = Chain(Dense(2 => 32, σ), Dense(32 => 32, relu), Dense(32 => 1, leakyrelu))';
      expectName(julia, 'σ', 'sigmoid', { languageId: 'julia' });
      expectName(julia, 'relu', 'relu', { languageId: 'julia' });
      expectName(julia, 'leakyrelu', 'leaky_relu', { languageId: 'julia' });
    });

    it('finds R keras activation arguments', () => {
      const r = 'model %>% layer_dense(units = 64, activation = "tanh") %>% layer_activation("softplus")';
      expectName(r, 'tanh', 'tanh', { languageId: 'r' });
      expectName(r, 'softplus', 'softplus', { languageId: 'r' });
    });
  });

  describe('ordinary code that must not light up', () => {
    const cases: [string, string, string][] = [
      ['step = 0\nfor batch in loader:\n    step += 1', 'step', 'python'],
      ['optimizer.step()', 'step', 'python'],
      ['y = np.sin(x)', 'sin', 'python'],
      ['y = math.sin(x) + Math.sin(x)', 'sin', 'python'],
      ['x = torch.sin(t)', 'sin', 'python'],
      ['y = np.tanh(x)', 'tanh', 'python'],
      ['const y = Math.tanh(x);', 'tanh', 'javascript'],
      ['Fit a linear model first, then a step function.', 'linear', 'markdown'],
      ['Fit a linear model first, then a step function.', 'step', 'markdown'],
      ['self.fc = nn.Linear(32, 10)', 'Linear', 'python'],
      ['identity = lambda v: v', 'identity', 'python'],
      ['my_relu = make()', 'my_relu', 'python'],
      ['relu_count = 3', 'relu_count', 'python'],
      ['print("relu")', 'relu', 'python'],
      ['{"activation_count": 3, "note": "sigmoid"}', 'sigmoid', 'json'],
      ['x = x.sigmoid()', 'sigmoid', 'python'],
    ];
    for (const [code, target, languageId] of cases) {
      it(`${code.split('\n')[0]}  ↦  ${target}`, () => {
        assert.equal(hover(code, target, { languageId }), undefined);
      });
    }

    it('finds exactly the activations in a mixed file', () => {
      const code = 'import numpy as np\nstep = 0\nlinear = np.sin(step)\nact = nn.ReLU()\nout = F.softplus(x, beta=3)\n';
      const found = findAllActivations(code, { languageId: 'python' });
      assert.deepEqual(found.map(r => [r.spelling, r.name]), [['nn.ReLU', 'relu'], ['F.softplus', 'softplus']]);
      assert.deepEqual(found[1].params, { beta: 3, threshold: 20 });
    });
  });
});
