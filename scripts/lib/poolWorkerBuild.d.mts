/** The path of a freshly bundled pool worker (src/core/parallel/poolWorker.ts) in a temporary folder. */
export function buildPoolWorker(): Promise<string>;
