/** One library set up on one workload: `step` trains on the next batch's worth of samples and says how many. */
export interface Runner {
  note: string;
  step(): number;
}

/** Steps `runner` for at least `ms` of wall-clock time: the samples trained and the milliseconds it took. */
export function stepFor(runner: Runner, ms: number): { samples: number; elapsed: number } {
  let samples = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    samples += runner.step();
    elapsed = performance.now() - start;
  } while (elapsed < ms);
  return { samples, elapsed };
}
