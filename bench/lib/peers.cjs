// Peer libraries for the training benchmark, each driven through its own fastest public training path.
// Every runner gets the same workload and data and returns { step(): samplesTrained, note }.
// Libraries load from bench/node_modules (installed by scripts/bench.mjs), never from the extension's deps.
'use strict';
const path = require('node:path');

/** Batches cycle through the data in order: [start, end) sample ranges. */
function batchRanges(w) {
  const ranges = [];
  for (let s = 0; s < w.samples; s += w.batchSize) ranges.push([s, Math.min(w.samples, s + w.batchSize)]);
  return ranges;
}

function sampleRows(w, data) {
  const rows = [];
  for (let i = 0; i < w.samples; i++) rows.push(Array.from(data.x.subarray(i * w.inputs, (i + 1) * w.inputs)));
  return rows;
}

async function tfjs(w, data, backend) {
  const tf = require('@tensorflow/tfjs');
  if (backend === 'wasm') {
    const wasm = require('@tensorflow/tfjs-backend-wasm');
    // The .wasm files ship inside the npm package; nothing is fetched.
    wasm.setWasmPaths(path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + path.sep);
  }
  if (!(await tf.setBackend(backend))) throw new Error(`tfjs backend ${backend} unavailable`);
  await tf.ready();
  const model = tf.sequential();
  w.hidden.forEach((units, l) => model.add(tf.layers.dense(
    l === 0 ? { units, activation: w.activation, inputShape: [w.inputs] } : { units, activation: w.activation })));
  model.add(tf.layers.dense({ units: 1 }));
  const optimizer = tf.train.sgd(w.learningRate);
  const batches = batchRanges(w).map(([s, e]) => ({
    x: tf.tensor2d(Float32Array.from(data.x.subarray(s * w.inputs, e * w.inputs)), [e - s, w.inputs], 'float32'),
    y: tf.tensor2d(Float32Array.from(data.y.subarray(s, e)), [e - s, 1], 'float32'),
    n: e - s,
  }));
  let next = 0;
  return {
    note: `optimizer.minimize per batch, float32${backend === 'wasm' ? `, ${tf.env().getBool('WASM_HAS_SIMD_SUPPORT') ? 'SIMD' : 'no SIMD'}` +
      `, ${tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT') ? 'threads' : '1 thread'}` : ''}`,
    step() {
      const b = batches[next];
      next = (next + 1) % batches.length;
      tf.tidy(() => optimizer.minimize(() => tf.losses.meanSquaredError(b.y, model.apply(b.x))));
      return b.n;
    },
  };
}

function synaptic(w, data) {
  const { Layer, Network, Neuron } = require('synaptic');
  const squash = { tanh: Neuron.squash.TANH, sigmoid: Neuron.squash.LOGISTIC, relu: Neuron.squash.RELU }[w.activation];
  const input = new Layer(w.inputs);
  const hidden = w.hidden.map(u => { const l = new Layer(u); l.set({ squash }); return l; });
  const output = new Layer(1);
  output.set({ squash: Neuron.squash.IDENTITY });
  [input, ...hidden].forEach((l, i) => l.project(i < hidden.length ? hidden[i] : output));
  const net = new Network({ input, hidden, output });
  const rows = sampleRows(w, data);
  const targets = Array.from(data.y, v => [v]);
  let next = 0;
  return {
    note: 'compiled network, activate+propagate per sample (updates every sample)',
    step() {
      const end = Math.min(w.samples, next + w.batchSize);
      const n = end - next;
      for (let i = next; i < end; i++) {
        net.activate(rows[i]);
        net.propagate(w.learningRate, targets[i]);
      }
      next = end % w.samples;
      return n;
    },
  };
}

function brain(w, data) {
  const brainjs = require('brain.js');
  const net = new brainjs.NeuralNetwork({ hiddenLayers: w.hidden, activation: w.activation });
  const rows = sampleRows(w, data).map((input, i) => ({ input, output: [data.y[i]] }));
  // One tiny train() call sizes the net and fixes the options; then brain.js's own per-sample inner loop runs.
  net.train(rows.slice(0, 1), { iterations: 1, errorThresh: 1e-9, learningRate: w.learningRate, log: false });
  // brain.js's option check rejects momentum 0, but plain SGD needs it: set it where adjustWeights reads it.
  net.trainOpts.momentum = 0;
  const formatted = net.formatData(rows);
  let next = 0;
  return {
    note: 'trainPattern per sample (updates every sample; output layer uses the hidden activation), float32',
    step() {
      const end = Math.min(w.samples, next + w.batchSize);
      const n = end - next;
      for (let i = next; i < end; i++) net.trainPattern(formatted[i]);
      next = end % w.samples;
      return n;
    },
  };
}

function convnet(w, data) {
  const convnetjs = require('convnetjs');
  const defs = [{ type: 'input', out_sx: 1, out_sy: 1, out_depth: w.inputs }];
  for (const units of w.hidden) defs.push({ type: 'fc', num_neurons: units, activation: w.activation });
  defs.push({ type: 'regression', num_neurons: 1 });
  const net = new convnetjs.Net();
  net.makeLayers(defs);
  const trainer = new convnetjs.Trainer(net, { method: 'sgd', learning_rate: w.learningRate, batch_size: w.batchSize, momentum: 0, l2_decay: 0 });
  const vols = [];
  for (let i = 0; i < w.samples; i++) {
    const v = new convnetjs.Vol(1, 1, w.inputs, 0);
    for (let d = 0; d < w.inputs; d++) v.w[d] = data.x[i * w.inputs + d];
    vols.push(v);
  }
  const targets = Array.from(data.y, v => [v]);
  let next = 0;
  return {
    note: 'Trainer sgd with batch_size (one update per batch)',
    step() {
      const end = Math.min(w.samples, next + w.batchSize);
      const n = end - next;
      for (let i = next; i < end; i++) trainer.train(vols[i], targets[i]);
      next = end % w.samples;
      return n;
    },
  };
}

module.exports = {
  'tfjs-cpu': (w, d) => tfjs(w, d, 'cpu'),
  'tfjs-wasm': (w, d) => tfjs(w, d, 'wasm'),
  'brain.js': brain,
  synaptic,
  convnetjs: convnet,
};
