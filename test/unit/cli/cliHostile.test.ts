// The CLI under hostile input (issue 16): output paths are checked before training, and non-regular files given to
// --load or --data fail at once with exit 2 — never a hang, never exit 3 "internal error".
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli, EXIT } from '../../../src/cli/cli';

async function inProcess(args: string[]): Promise<{ code: number; stdout: string; stderr: string; ms: number }> {
  let stdout = '';
  let stderr = '';
  const started = Date.now();
  const code = await runCli(args, { stdout: t => { stdout += t; }, stderr: t => { stderr += t; }, progress: false });
  return { code, stdout, stderr, ms: Date.now() - started };
}

describe('gradscope CLI under hostile input', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gradscope-cli-hostile-')); });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('--save and --report into places that cannot be written fail before training starts', async () => {
    const plain = path.join(dir, 'plain.txt');
    fs.writeFileSync(plain, 'x');
    // 100,000 epochs would take minutes: failing in well under that shows the check comes first.
    const save = await inProcess(['train', '--builtin', 'xor', '--epochs', '100000', '--save', path.join(plain, 'model.json')]);
    assert.equal(save.code, EXIT.badInput);
    assert.match(save.stderr, /^error: --save .*plain\.txt\/model\.json: .*plain\.txt is a file, not a folder\n$/);
    assert.equal(save.stdout, '');
    assert.ok(save.ms < 5000, `took ${save.ms} ms`);
    const folder = path.join(dir, 'out.html');
    fs.mkdirSync(folder);
    const report = await inProcess(['train', '--builtin', 'xor', '--epochs', '100000', '--report', folder]);
    assert.equal(report.code, EXIT.badInput);
    assert.match(report.stderr, /^error: --report .*out\.html: that is a folder; give a file name\n$/);
    assert.ok(report.ms < 5000, `took ${report.ms} ms`);
  });

  it('--load of /dev/zero or a FIFO is exit 2 at once, not a hang or an 8 GB read', async function () {
    if (process.platform === 'win32') this.skip();
    const zero = await inProcess(['train', '--builtin', 'xor', '--load', '/dev/zero']);
    assert.equal(zero.code, EXIT.badInput);
    assert.match(zero.stderr, /\/dev\/zero is a character device, not a model file/);
    const fifo = path.join(dir, 'model.fifo');
    execFileSync('mkfifo', [fifo]);
    const piped = await inProcess(['train', '--builtin', 'xor', '--load', fifo]);
    assert.equal(piped.code, EXIT.badInput);
    assert.match(piped.stderr, /is a named pipe \(FIFO\), not a model file/);
    assert.ok(zero.ms + piped.ms < 5000);
  });
});
