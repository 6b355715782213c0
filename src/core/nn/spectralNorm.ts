// The spectral norm ‖W‖₂ (largest singular value) of a weight matrix by power iteration on WᵀW. The right singular
// vector estimate is kept between calls, so a snapshot starts from the previous snapshot's vector: weights move
// little between snapshots, and a warm start converges in a few iterations.

/** Stop when the estimate changes by less than this, relative. */
export const SPECTRAL_TOLERANCE = 1e-12;
/** Iteration caps: the first call starts from a fixed vector, later calls from the last one. */
export const SPECTRAL_COLD_ITERATIONS = 500;
export const SPECTRAL_WARM_ITERATIONS = 60;
/**
 * …and at most this many multiply-adds per call (two per weight per iteration), but never fewer than
 * SPECTRAL_MIN_ITERATIONS: a 1024×1024 layer stops after 14 iterations cold and 4 warm instead of taking seconds.
 */
export const SPECTRAL_COLD_BUDGET = 3e7;
export const SPECTRAL_WARM_BUDGET = 8e6;
export const SPECTRAL_MIN_ITERATIONS = 4;

/** Power iteration state for one out × in matrix (row-major, PyTorch's nn.Linear layout), preallocated. */
export class SpectralNormEstimator {
  /** Unit right singular vector estimate (in). */
  private readonly v: Float64Array;
  /** W·v scratch (out). */
  private readonly u: Float64Array;
  private warm = false;
  /** Iterations the last call ran (for tests and benchmarks). */
  lastIterations = 0;

  constructor(readonly rows: number, readonly cols: number) {
    this.v = new Float64Array(cols);
    this.u = new Float64Array(rows);
  }

  /** Forget the vector (the next call starts cold). */
  reset(): void {
    this.warm = false;
  }

  /** The state the next estimate starts from (a copy), for an estimator of the same shape on another thread. */
  exportState(): { v: Float64Array; warm: boolean } {
    return { v: Float64Array.from(this.v), warm: this.warm };
  }

  /** Continue from a state another estimator of this shape reached (exportState there after its estimate). */
  importState(state: { v: Float64Array; warm: boolean }, iterations = this.lastIterations): void {
    this.v.set(state.v);
    this.warm = state.warm;
    this.lastIterations = iterations;
  }

  /**
   * ‖W‖₂ of w (rows × cols). Each iteration takes u = W·v, then v ← Wᵀ·u/‖Wᵀ·u‖; the estimate ‖Wᵀu‖/‖u‖ is a lower
   * bound on ‖W‖₂ that rises monotonically to it (it is at least ‖Wv‖ by Cauchy–Schwarz).
   */
  estimate(w: Float64Array): number {
    const { rows, cols, v, u } = this;
    if (!this.warm || !(norm(v) > 0.5)) this.coldStart();
    const work = 2 * rows * cols;
    const cap = this.warm
      ? Math.min(SPECTRAL_WARM_ITERATIONS, Math.max(SPECTRAL_MIN_ITERATIONS, Math.floor(SPECTRAL_WARM_BUDGET / work)))
      : Math.min(SPECTRAL_COLD_ITERATIONS, Math.max(SPECTRAL_MIN_ITERATIONS, Math.floor(SPECTRAL_COLD_BUDGET / work)));
    let sigma = 0;
    let it = 0;
    let restarted = false;
    while (it < cap) {
      it++;
      // u = W v (four rows at a time: each row's sum still runs over c in order)
      matVec(w, rows, cols, v, u);
      const uNorm = norm(u);
      if (uNorm === 0) {
        // v in W's null space (or W = 0): restart once from the fixed vector, else the norm is 0.
        if (restarted || norm(w) === 0) {
          sigma = 0;
          break;
        }
        restarted = true;
        this.coldStart(it);
        continue;
      }
      // v = Wᵀ u (each v[c] still sums over the rows in order)
      matTVec(w, rows, cols, u, v);
      const vNorm = norm(v);
      for (let c = 0; c < cols; c++) v[c] /= vNorm;
      const next = vNorm / uNorm;
      const converged = Math.abs(next - sigma) <= SPECTRAL_TOLERANCE * next;
      sigma = Math.max(sigma, next);
      if (converged) break;
    }
    this.lastIterations = it;
    this.warm = sigma > 0;
    return sigma;
  }

  /** A fixed start vector with no zero or repeated entries (so it is not orthogonal to a structured W's top vector). */
  private coldStart(salt = 0): void {
    const v = this.v;
    for (let c = 0; c < v.length; c++) v[c] = 1 + 0.5 * Math.sin(1.7 * (c + 1) + salt);
    const n = norm(v);
    for (let c = 0; c < v.length; c++) v[c] /= n;
  }
}

/** u = W·v for a rows × cols row-major W, each u[r] summed over c in order; four rows per pass, four chains. */
export function matVec(w: Float64Array, rows: number, cols: number, v: Float64Array, u: Float64Array): void {
  let r = 0;
  for (; r + 4 <= rows; r += 4) {
    const r0 = r * cols;
    const r1 = r0 + cols;
    const r2 = r1 + cols;
    const r3 = r2 + cols;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let c = 0; c < cols; c++) {
      const x = v[c];
      s0 += w[r0 + c] * x;
      s1 += w[r1 + c] * x;
      s2 += w[r2 + c] * x;
      s3 += w[r3 + c] * x;
    }
    u[r] = s0;
    u[r + 1] = s1;
    u[r + 2] = s2;
    u[r + 3] = s3;
  }
  for (; r < rows; r++) {
    let s = 0;
    const row = r * cols;
    for (let c = 0; c < cols; c++) s += w[row + c] * v[c];
    u[r] = s;
  }
}

/** v = Wᵀ·u, each v[c] summed over the rows in order (from 0): four rows per pass over v. */
export function matTVec(w: Float64Array, rows: number, cols: number, u: Float64Array, v: Float64Array): void {
  v.fill(0);
  let r = 0;
  for (; r + 4 <= rows; r += 4) {
    const r0 = r * cols;
    const r1 = r0 + cols;
    const r2 = r1 + cols;
    const r3 = r2 + cols;
    const u0 = u[r];
    const u1 = u[r + 1];
    const u2 = u[r + 2];
    const u3 = u[r + 3];
    for (let c = 0; c < cols; c++) v[c] = v[c] + w[r0 + c] * u0 + w[r1 + c] * u1 + w[r2 + c] * u2 + w[r3 + c] * u3;
  }
  for (; r < rows; r++) {
    const ur = u[r];
    const row = r * cols;
    for (let c = 0; c < cols; c++) v[c] += w[row + c] * ur;
  }
}

function norm(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return Math.sqrt(s);
}
