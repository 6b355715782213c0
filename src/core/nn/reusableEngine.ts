// An arena and its helper threads that outlive the trainers built in it, one after another: the live probe builds a
// new network for every edit of a config, and starting worker threads for each would cost more than they save on a
// step-0 pass of a few milliseconds. Each trainer gets the arena with everything the previous one allocated given
// back (Arena.release), and the same helpers, already running on its memory.
import type { Arena } from './arena';
import { createArena } from './kernels';
import { ProductThreads } from './productThreads';

/** An arena that grew past this is dropped after use rather than kept (a shared memory cannot shrink). */
const KEEP_AT_MOST_BYTES = 256 * 1024 * 1024;

export class ReusableEngine {
  private arena: Arena | null = null;
  private threads: ProductThreads | null = null;
  private base = 0;
  private count = 0;

  /**
   * The arena for the next trainer (the previous trainer's arrays given back: it must not be used any more), with
   * `threads` threads in all (helpers: threads − 1); undefined when the resident engine is off or unavailable.
   */
  arenaFor(threads: number): Arena | undefined {
    const count = Math.max(1, Math.floor(threads));
    if (this.arena !== null && (count !== this.count || this.arena.capacity > KEEP_AT_MOST_BYTES)) this.close();
    if (this.arena === null) {
      const arena = createArena();
      if (arena === null) return undefined;
      if (count > 1) {
        this.threads = new ProductThreads(arena, count - 1);
        arena.threads = this.threads;
      }
      this.arena = arena;
      this.base = arena.mark();
      this.count = count;
    }
    this.arena.release(this.base);
    return this.arena;
  }

  /** The helpers this engine has started (undefined: none). */
  get productThreads(): ProductThreads | undefined {
    return this.threads ?? undefined;
  }

  /** Ends the helpers and lets the memory go. */
  close(): void {
    this.threads?.terminate();
    if (this.arena) this.arena.threads = null;
    this.threads = null;
    this.arena = null;
    this.count = 0;
  }
}
