// npm run fuzz -- [--seed N] [--seconds S] [--cases N] [--only 0,2] [--case-timeout MS] [--replay T:B:I]
// Runs the fuzz campaign (campaign.ts) and prints its case counts per entry point, then
// "N cases, 0 unexpected exceptions". Exit 1 on any unexpected exception, hang or out-of-memory.
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { runCampaign } from './campaign';
import { BATCH, caseSeed } from './fuzzWorker';
import { TARGETS } from './targets';

async function replay(seed: number, spec: string): Promise<number> {
  const [t, batch, index] = spec.split(':').map(Number);
  const target = TARGETS[t];
  const value = fc.sample(target.arbitrary, { seed: caseSeed(seed, t, batch), numRuns: BATCH })[index];
  process.stdout.write(`${target.name}, batch ${batch}, case ${index}:\n${target.show(value).slice(0, 5000)}\n\n`);
  const outcome = await target.run(value);
  process.stdout.write(`outcome: ${outcome}\n`);
  return 0;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      seed: { type: 'string', default: String(Date.now() % 1_000_000) },
      seconds: { type: 'string', default: '60' },
      cases: { type: 'string' },
      only: { type: 'string' },
      'case-timeout': { type: 'string' },
      replay: { type: 'string' },
    },
  });
  const seed = Number(values.seed);
  if (values.replay) return replay(seed, values.replay);
  const only = values.only?.split(',').map(Number);
  process.stdout.write(`fuzz: seed ${seed}, ${values.seconds} s${values.cases ? `, at most ${values.cases} cases` : ''}; entry points:\n${TARGETS.map((t, i) => `  ${i} ${t.name}`).join('\n')}\n`);
  const result = await runCampaign({
    seed, seconds: Number(values.seconds), maxCases: values.cases ? Number(values.cases) : undefined,
    caseTimeoutMs: values['case-timeout'] ? Number(values['case-timeout']) : undefined, only,
    log: line => process.stdout.write(`${line}\n`),
  });
  for (const t of result.perTarget) {
    process.stdout.write(`${t.name}: ${t.cases.toLocaleString('en-US')} cases (${t.accepted.toLocaleString('en-US')} accepted, ${t.inputErrors.toLocaleString('en-US')} refused with an input error)\n`);
  }
  process.stdout.write(`seed ${seed}, ${result.seconds.toFixed(0)} s\n`);
  const unexpected = result.failures.length;
  process.stdout.write(`${result.cases.toLocaleString('en-US')} cases, ${unexpected} unexpected exception${unexpected === 1 ? '' : 's'}\n`);
  return unexpected === 0 ? 0 : 1;
}

main().then(code => { process.exitCode = code; }, error => {
  process.stderr.write(`fuzz: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 2;
});
