// The fuzz campaign's short CI budget: every entry point gets cases, none escapes as an unexpected exception, a hang
// or an out-of-memory. (The long run is `npm run fuzz -- --seconds …`, recorded in the README.)
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCampaign } from '../../fuzz/campaign';
import { TARGETS } from '../../fuzz/targets';

describe('fuzz campaign (short CI budget)', function () {
  this.timeout(120_000);

  it('runs every entry point for ~12 s without an unexpected exception', async () => {
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gradscope-fuzz-ci-'));
    try {
      // A fixed seed per day: CI explores new cases over time, and a failure names its seed for the replay.
      const seed = Math.floor(Date.now() / 86_400_000);
      const result = await runCampaign({ seed, seconds: 12, outDir });
      assert.equal(result.perTarget.length, TARGETS.length);
      for (const t of result.perTarget) assert.ok(t.cases >= 50, `${t.name}: only ${t.cases} cases`);
      assert.deepEqual(result.failures.map(f => `${f.kind} in ${f.target} (seed ${seed}, batch ${f.batch}, case ${f.index}): ${f.detail.split('\n')[0]}`), []);
    } finally {
      fs.rmSync(outDir, { recursive: true, force: true });
    }
  });

  it('the watchdog reports a case that hangs as a hang and goes on past it', async function () {
    // A target whose third case never ends: the campaign must terminate the worker, record it and resume.
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gradscope-fuzz-hang-'));
    try {
      process.env.GRADSCOPE_FUZZ_HANG_AT = '2';
      const result = await runCampaign({ seed: 1, seconds: 20, maxCases: 60, only: [TARGETS.length - 1], caseTimeoutMs: 1500, outDir });
      assert.equal(result.failures.length, 1, JSON.stringify(result.failures));
      assert.equal(result.failures[0].kind, 'hang');
      assert.equal(result.failures[0].index, 2);
      assert.ok(result.cases >= 60, `${result.cases} cases`);
      assert.match(fs.readFileSync(result.failures[0].file!, 'utf8'), /reproduce: npm run fuzz -- --seed 1 --replay 3:0:2/);
    } finally {
      delete process.env.GRADSCOPE_FUZZ_HANG_AT;
      fs.rmSync(outDir, { recursive: true, force: true });
    }
  });
});
