import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateBuiltinDataset, nielsenFunction } from '../../../src/core/data/builtinDatasets';
import { sigmoid } from '../../../src/core/activations/activations';

const root = path.resolve(__dirname, '../../..');

function gradscope(args: string[]): { code: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'src', 'cli', 'cli.ts'), ...args], {
    cwd: root, encoding: 'utf8', timeout: 120_000, env: { ...process.env, NODE_OPTIONS: '' },
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

interface LinearLayer { type: 'linear'; weight: number[][]; bias: number[] }
interface UatLine { n: number; inputs: number; mse: number; hiddenUnits: number; weights: [LinearLayer, { type: string; name: string }, LinearLayer] }

describe('gradscope uat (end to end)', function () {
  this.timeout(180_000);

  it("prints, for N = 5, 10, 100 on Nielsen's f, the built network's weights and its error, which falls below 2 % of N = 5's", () => {
    const { code, stdout, stderr } = gradscope(['uat', '--builtin', 'nielsen', '--bumps', '5,10,100', '--json']);
    assert.equal(code, 0, stderr);
    const lines = stdout.trim().split('\n').map(l => JSON.parse(l) as UatLine);
    assert.deepEqual(lines.map(l => l.n), [5, 10, 100]);
    assert.deepEqual(lines.map(l => l.hiddenUnits), [10, 20, 200]);
    assert.ok(lines[0].mse > lines[1].mse && lines[1].mse > lines[2].mse, lines.map(l => l.mse).join(' '));
    assert.ok(lines[2].mse / lines[0].mse < 0.02, `ratio ${lines[2].mse / lines[0].mse}`);

    // The weights follow the construction: bump k is steps at the interval's ends (outer ones half an interval out),
    // b = −w·s, output weights ±f(midpoint). Recompute the MSE from the printed weights on the same data.
    const [hidden, activation, output] = lines[0].weights;
    assert.equal(activation.name, 'sigmoid');
    const w = hidden.weight[0][0];
    // The same 500 samples the CLI generates; N equal intervals over their x range [a, b].
    const xs = Array.from(generateBuiltinDataset('nielsen', { samples: 500, seed: 0 }).x);
    const a = Math.min(...xs);
    const b = Math.max(...xs);
    const width = (b - a) / 5;
    const positions = [a - width / 2, a + width, a + 2 * width, a + 3 * width, a + 4 * width, b + width / 2];
    for (let k = 0; k < 5; k++) {
      for (const [unit, s] of [[2 * k, positions[k]], [2 * k + 1, positions[k + 1]]] as const) {
        assert.equal(hidden.weight[unit][0], w);
        assert.ok(Math.abs(hidden.bias[unit] + w * s) < 1e-9 * w, `unit ${unit}: b ${hidden.bias[unit]} vs −w·s ${-w * s}`);
      }
      const h = nielsenFunction(a + (k + 0.5) * width);
      assert.ok(Math.abs(output.weight[0][2 * k] - h) < 1e-12 && output.weight[0][2 * k + 1] === -output.weight[0][2 * k], `bump ${k}`);
    }
    assert.deepEqual(output.bias, [0]);
  });

  it('builds from a file’s columns and computes the error from the printed weights', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gradscope-uat-'));
    try {
      const file = path.join(dir, 'curve.csv');
      const rows = ['t,noise,value'];
      for (let i = 0; i <= 40; i++) rows.push(`${i / 10},7,${Math.sin(i / 10)}`);
      fs.writeFileSync(file, rows.join('\n'));
      const { code, stdout, stderr } = gradscope(['uat', '--data', file, '--inputs', 't', '--target', 'value', '--bumps', '4', '--json']);
      assert.equal(code, 0, stderr);
      const line = JSON.parse(stdout) as UatLine;
      const [hidden, , output] = line.weights;
      let sum = 0;
      for (let i = 0; i <= 40; i++) {
        const x = i / 10;
        let y = output.bias[0];
        hidden.weight.forEach((row, u) => { y += output.weight[0][u] * sigmoid(row[0] * x + hidden.bias[u]); });
        sum += (y - Math.sin(x)) ** 2;
      }
      assert.ok(Math.abs(sum / 41 - line.mse) < 1e-12, `${sum / 41} vs ${line.mse}`);
      // Interval [0, 1) holds t = 0 … 0.9: its bump's height is their mean sine.
      let mean = 0;
      for (let i = 0; i < 10; i++) mean += Math.sin(i / 10) / 10;
      assert.ok(Math.abs(output.weight[0][0] - mean) < 1e-12);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('builds N×N towers for two inputs and says what is wrong with bad arguments (exit 2)', () => {
    const towers = gradscope(['uat', '--builtin', 'multi-gauss', '--bumps', '2,6', '--json']);
    assert.equal(towers.code, 0, towers.stderr);
    const lines = towers.stdout.trim().split('\n').map(l => JSON.parse(l) as { n: number; inputs: number; mse: number; towers: number });
    assert.deepEqual(lines.map(l => [l.inputs, l.towers]), [[2, 4], [2, 36]]);
    assert.ok(lines[1].mse < lines[0].mse);
    const missing = gradscope(['uat', '--builtin', 'nielsen']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /give --bumps/);
    const bad = gradscope(['uat', '--builtin', 'nielsen', '--bumps', '5,x']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--bumps must be a whole number from 1 to 10000/);
  });
});
