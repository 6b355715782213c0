import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describeDeath, liveWorkers, spawnWorker, type WorkerDeath } from '../../../src/shared/workerHost';

const FAULTY = path.join(__dirname, 'fixtures', 'faultyWorker.js');

function deathOf(fault: string, memoryLimitMb = 64): Promise<WorkerDeath> {
  return new Promise(resolve => { spawnWorker(FAULTY, { role: 'training', memoryLimitMb, workerData: { fault }, onDeath: resolve }); });
}

describe('worker host: faults end the worker, not the host', () => {
  it('an allocation loop under a tiny resourceLimits heap is reported as "out of memory" with its limit', async () => {
    const death = await deathOf('oom', 32);
    assert.equal(death.kind, 'oom');
    assert.equal(death.limitMb, 32);
    assert.equal(describeDeath(death, 'at step 1,234'), 'The training worker ran out of memory (limit 32 MB) at step 1,234.');
    // This process (the "extension host") is still here and can start another worker.
    const again = await deathOf('throw');
    assert.equal(again.kind, 'crash');
  });

  it('an uncaught throw, a process.exit and a kill are told apart', async () => {
    const thrown = await deathOf('throw');
    assert.deepEqual([thrown.kind, thrown.error], ['crash', 'boom in the worker']);
    assert.match(describeDeath(thrown), /^The training worker crashed: boom in the worker\.$/);
    const exited = await deathOf('exit');
    assert.deepEqual([exited.kind, exited.exitCode], ['exit', 7]);
    assert.equal(describeDeath(exited, 'at step 5'), 'The training worker stopped unexpectedly at step 5 (exit code 7).');
    const deaths: WorkerDeath[] = [];
    const idle = spawnWorker(FAULTY, { role: 'probe', memoryLimitMb: 64, onDeath: d => deaths.push(d) });
    await new Promise(resolve => idle.worker.once('message', resolve));
    await idle.kill();
    assert.deepEqual(deaths.map(d => [d.kind, d.role, d.exitCode]), [['exit', 'probe', 1]]);
  });

  it('a worker stopped on purpose reports no death and leaves the registry', async () => {
    const deaths: WorkerDeath[] = [];
    const idle = spawnWorker(FAULTY, { role: 'landscape', memoryLimitMb: 64, onDeath: d => deaths.push(d) });
    await new Promise(resolve => idle.worker.once('message', resolve));
    assert.ok(liveWorkers().some(w => w.threadId === idle.worker.threadId));
    await idle.stop();
    assert.deepEqual(deaths, []);
    assert.ok(!liveWorkers().some(w => w.role === 'landscape'));
  });

  it('terminateAllWorkers (deactivate) leaves nothing that keeps the process alive', () => {
    const child = spawnSync(process.execPath, ['--require', 'tsx/cjs', path.join(__dirname, 'fixtures', 'shutdown.ts')], {
      cwd: path.join(__dirname, '..', '..', '..'), encoding: 'utf8', timeout: 30_000,
    });
    // A worker left running would keep the child alive until the timeout kills it (status null, signal SIGTERM).
    assert.equal(child.signal, null, `the child did not exit by itself: ${child.stderr}`);
    assert.equal(child.status, 0, child.stderr);
    assert.deepEqual(JSON.parse(child.stdout.trim()), { before: 3, ended: 3, after: 0 });
  });
});
