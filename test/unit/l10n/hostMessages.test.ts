// Host messages that come from real failures read in Korean with the Korean bundle loaded (as activate() loads it
// into @vscode/l10n): a worker that dies (a real worker run out of its heap, one that exits), and a save that fails
// on the file system (real fs errors from the atomic writer), with numbers and file names unchanged.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import { writeFileAtomic } from '../../../src/core/io/atomicWrite';
import { SaveError, saveErrorText } from '../../../src/shared/saveError';
import { describeDeath, groupedNumber, spawnWorker, type WorkerDeath } from '../../../src/shared/workerHost';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const korean = JSON.parse(fs.readFileSync(path.join(repoRoot, 'l10n', 'bundle.l10n.ko.json'), 'utf8')) as Record<string, string>;
const FAULTY = path.join(repoRoot, 'test', 'unit', 'shared', 'fixtures', 'faultyWorker.js');

async function inKorean<T>(body: () => T | Promise<T>): Promise<T> {
  l10n.config({ contents: korean });
  try {
    return await body();
  } finally {
    l10n.config({ contents: {} });
  }
}

/** "at step 1,234" as the run session writes it, in the language loaded. */
const atStep = (step: number) => l10n.t('at step {0}', groupedNumber(step));

function deathOf(fault: string, role: string, memoryLimitMb = 64): Promise<WorkerDeath> {
  return new Promise(resolve => { spawnWorker(FAULTY, { role, memoryLimitMb, workerData: { fault }, onDeath: resolve }); });
}

/** The error a real write gives, wrapped as the host wraps it. */
async function failedWrite(file: string, options: { mkdir?: boolean } = {}): Promise<unknown> {
  try {
    await writeFileAtomic(file, 'x', options);
  } catch (error) {
    return new SaveError(file, error);
  }
  assert.fail(`writing ${file} did not fail`);
}

describe('host messages in Korean', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gradscope-l10n-')); });
  afterEach(() => { fs.rmSync(dir, { recursive: true, force: true }); });

  it('a training worker out of memory at a step, and a probe worker that exits, read in Korean', async () => {
    const oom = await deathOf('oom', 'training', 32);
    assert.equal(oom.kind, 'oom');
    assert.equal(await inKorean(() => describeDeath(oom, atStep(1234))), '단계 1,234에서 학습 워커의 메모리가 바닥났습니다 (한도 32 MB).');
    // English outside the Korean bundle, word for word as before.
    assert.equal(describeDeath(oom, atStep(1234)), 'The training worker ran out of memory (limit 32 MB) at step 1,234.');
    const exited = await deathOf('exit', 'probe');
    assert.equal(await inKorean(() => describeDeath(exited)), '점검 워커가 예기치 않게 멈췄습니다 (종료 코드 7).');
    assert.equal(describeDeath(exited), 'The probe worker stopped unexpectedly (exit code 7).');
    const thrown = await deathOf('throw', 'universal approximation');
    assert.equal(await inKorean(() => describeDeath(thrown, atStep(5))), '단계 5에서 보편 근사 워커가 비정상 종료되었습니다: boom in the worker.');
  });

  it('a save into a missing folder, over a folder and under a file reads in Korean with the file name', async () => {
    const missing = await failedWrite(path.join(dir, 'nowhere', 'run.json'), { mkdir: false });
    assert.equal(await inKorean(() => (missing as Error).message), 'could not save run.json: its folder does not exist');
    assert.equal(await inKorean(() => saveErrorText((missing as Error).cause, 'run.json')), 'run.json을(를) 저장하지 못했습니다: 저장할 폴더가 없습니다');
    fs.mkdirSync(path.join(dir, 'chart.png'));
    const folder = await failedWrite(path.join(dir, 'chart.png'));
    assert.equal(await inKorean(() => saveErrorText((folder as Error).cause, 'chart.png')), 'chart.png을(를) 저장하지 못했습니다: 폴더입니다');
    fs.writeFileSync(path.join(dir, 'plain'), '');
    // with the folders made first (the host's writes), and without
    for (const mkdir of [true, false]) {
      const underFile = await failedWrite(path.join(dir, 'plain', 'deeper', 'net.nn.json'), { mkdir });
      assert.equal(await inKorean(() => saveErrorText((underFile as Error).cause, 'net.nn.json')), 'net.nn.json을(를) 저장하지 못했습니다: 경로의 일부가 폴더가 아니라 파일입니다', `mkdir ${mkdir}`);
    }
  });

  it('a full disk and a refused permission are named; an unknown failure keeps the system\'s words', async () => {
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    assert.equal(await inKorean(() => saveErrorText(full, 'report.html')), 'report.html을(를) 저장하지 못했습니다: 디스크가 가득 찼습니다');
    const refused = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    assert.equal(saveErrorText(refused, 'a.csv'), 'could not save a.csv: permission denied');
    assert.equal(await inKorean(() => saveErrorText(refused, 'a.csv')), 'a.csv을(를) 저장하지 못했습니다: 권한이 없습니다');
    const odd = Object.assign(new Error('EIO: i/o error, write'), { code: 'EIO' });
    assert.equal(await inKorean(() => saveErrorText(odd, 'a.csv')), 'a.csv을(를) 저장하지 못했습니다: EIO: i/o error, write');
  });
});
