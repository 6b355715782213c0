/** One library set up on one workload: `step` trains on the next batch's worth of samples and says how many. */
export interface Runner {
  note: string;
  step(): number;
}
