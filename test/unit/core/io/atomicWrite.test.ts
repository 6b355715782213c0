import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkOutputPath, writeFileAtomic, writeFileAtomicSync } from '../../../../src/core/io/atomicWrite';
import { InputError } from '../../../../src/core/inputError';

describe('atomic writes', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gradscope-atomic-')); });
  afterEach(() => { fs.rmSync(dir, { recursive: true, force: true }); });

  it('writes the bytes, creates missing folders and leaves no temporary file', async () => {
    const file = path.join(dir, 'a', 'b', 'model.json');
    writeFileAtomicSync(file, '{"x":1}\n');
    assert.equal(fs.readFileSync(file, 'utf8'), '{"x":1}\n');
    await writeFileAtomic(path.join(dir, 'c', 'r.html'), Buffer.from([1, 2, 3]));
    assert.deepEqual([...fs.readFileSync(path.join(dir, 'c', 'r.html'))], [1, 2, 3]);
    assert.deepEqual(fs.readdirSync(path.join(dir, 'a', 'b')), ['model.json']);
    assert.deepEqual(fs.readdirSync(path.join(dir, 'c')), ['r.html']);
  });

  it('replaces an existing file whole and keeps its permissions', () => {
    const file = path.join(dir, 'keep.txt');
    fs.writeFileSync(file, 'old');
    fs.chmodSync(file, 0o640);
    writeFileAtomicSync(file, 'new contents');
    assert.equal(fs.readFileSync(file, 'utf8'), 'new contents');
    if (process.platform !== 'win32') assert.equal(fs.statSync(file).mode & 0o777, 0o640);
  });

  it('writes through a symlink to its target, keeping the link', function () {
    if (process.platform === 'win32') this.skip();
    const real = path.join(dir, 'real.json');
    fs.writeFileSync(real, 'old');
    const link = path.join(dir, 'link.json');
    fs.symlinkSync(real, link);
    writeFileAtomicSync(link, 'new');
    assert.ok(fs.lstatSync(link).isSymbolicLink());
    assert.equal(fs.readFileSync(real, 'utf8'), 'new');
  });

  it('a write that fails part-way leaves the previous file untouched and no temporary file', () => {
    const file = path.join(dir, 'good.json');
    fs.writeFileSync(file, 'the previous good model');
    // Data that is neither a string nor bytes makes the write itself throw, after the temp file is opened.
    const notBytes = { length: 10 } as unknown as Uint8Array;
    assert.throws(() => writeFileAtomicSync(file, notBytes));
    assert.equal(fs.readFileSync(file, 'utf8'), 'the previous good model');
    assert.deepEqual(fs.readdirSync(dir), ['good.json']);
  });

  it('a process killed mid-write leaves the previous file whole', function () {
    if (process.platform === 'win32') this.skip();
    this.timeout(30000);
    const file = path.join(dir, 'model.json');
    fs.writeFileSync(file, 'previous');
    // The child's first write puts half the bytes on disk and then the process is SIGKILLed, as Ctrl-C or the OOM
    // killer would, at the worst moment: the target must still hold the previous file.
    const helper = path.resolve(__dirname, '../../../../src/core/io/atomicWrite.ts');
    const script = `const fs = require('node:fs');
      const write = fs.writeSync;
      fs.writeSync = (fd, bytes, offset, length) => { write(fd, bytes, offset, Math.ceil(length / 2)); process.kill(process.pid, 'SIGKILL'); };
      require(${JSON.stringify(helper)}).writeFileAtomicSync(${JSON.stringify(file)}, Buffer.alloc(1 << 20, 120));`;
    const child = spawnSync(process.execPath, ['--require', 'tsx/cjs', '-e', script], { cwd: path.resolve(__dirname, '../../../..'), timeout: 20000 });
    assert.equal(child.signal, 'SIGKILL', `the child should have been killed (status ${child.status}: ${child.stderr})`);
    assert.equal(fs.readFileSync(file, 'utf8'), 'previous');
    // Only the orphaned temporary file is left beside it (hidden, named after the target), never a cut target.
    assert.ok(fs.readdirSync(dir).every(n => n === 'model.json' || /^\.model\.json\..*\.tmp$/.test(n)), fs.readdirSync(dir).join(', '));
  });

  it('checkOutputPath accepts a new file in a writable folder and one in folders still to make, creating nothing', () => {
    checkOutputPath(path.join(dir, 'new.json'), '--save');
    checkOutputPath(path.join(dir, 'x', 'y', 'new.json'), '--save');
    assert.deepEqual(fs.readdirSync(dir), []);
  });

  it('checkOutputPath refuses a folder, a path through a file and a device, by name of the option', () => {
    const isError = (pattern: RegExp) => (e: unknown) => e instanceof InputError && pattern.test(e.message);
    assert.throws(() => checkOutputPath(dir, '--save'), isError(/--save .*is a folder/));
    fs.writeFileSync(path.join(dir, 'plain'), '');
    assert.throws(() => checkOutputPath(path.join(dir, 'plain', 'm.json'), '--report'), isError(/--report .*is a file, not a folder/));
    if (process.platform !== 'win32') assert.throws(() => checkOutputPath('/dev/null', '--save'), isError(/not a regular file/));
  });

  it('checkOutputPath refuses a folder it cannot write in', function () {
    if (process.platform === 'win32' || process.getuid?.() === 0) this.skip(); // root writes anywhere
    const locked = path.join(dir, 'locked');
    fs.mkdirSync(locked, 0o500);
    try {
      assert.throws(() => checkOutputPath(path.join(locked, 'm.json'), '--save'), (e: unknown) => e instanceof InputError && /cannot write in/.test(e.message));
      assert.throws(() => checkOutputPath(path.join(locked, 'sub', 'm.json'), '--save'), (e: unknown) => e instanceof InputError && /cannot create folders/.test(e.message));
    } finally {
      fs.chmodSync(locked, 0o700);
    }
  });
});
