// Every worker thread the extension starts goes through here: each gets a heap limit (resourceLimits), so a run
// that runs out of memory ends its worker, not the extension host; each is watched, so a crash (an uncaught
// throw, process.exit, an out-of-memory, a kill) is reported once as a WorkerDeath the panel can show; and each
// is registered, so deactivate() can terminate them all and nothing outlives the extension.
// No vscode import: the unit tests drive it in plain Node with real workers.
import * as l10n from '@vscode/l10n';
import { BroadcastChannel, Worker, type WorkerOptions } from 'node:worker_threads';
import { FAULT_CHANNEL, type FaultRequest, type InjectedFault } from './workerFaultSeam';

/** The heap a worker may use unless the setting says otherwise (megabytes of V8 old generation). */
export const DEFAULT_WORKER_MEMORY_MB = 2048;
export const MIN_WORKER_MEMORY_MB = 32;

export interface WorkerDeath {
  /** 'oom': the heap limit was reached; 'crash': an uncaught error; 'exit': it ended with a non-zero code (or was killed). */
  kind: 'oom' | 'crash' | 'exit';
  /** The worker's role as the user knows it: "training", "probe", "landscape", "universal approximation". */
  role: string;
  limitMb: number;
  exitCode?: number;
  error?: string;
}

export interface SpawnOptions {
  role: string;
  memoryLimitMb?: number;
  /** Called once if the worker dies on its own; never after terminate() through `stop`. */
  onDeath?: (death: WorkerDeath) => void;
  /** Data for the worker (an object; the fault seam adds a flag to it). */
  workerData?: Record<string, unknown>;
  /** Worker threads do not keep the host alive on shutdown. */
  unref?: boolean;
}

export interface HostedWorker {
  readonly worker: Worker;
  readonly role: string;
  readonly limitMb: number;
  /** True once the thread has ended (by itself, a kill, stop() or deactivate). */
  readonly exited: boolean;
  /** Ends the worker on purpose (no death is reported); resolves when it has exited. */
  stop(): Promise<void>;
  /** For tests: end it as a crash would (the death IS reported, as a kill). */
  kill(): Promise<void>;
}

const live = new Set<HostedWorker>();
let faultSeamOn = false;

/** Extension tests only: workers started from now on listen for injected faults (see workerFaultSeam.ts). */
export function enableFaultSeam(): void {
  faultSeamOn = true;
}

/** Test seam: makes a live worker fail as a real fault would ('kill' terminates it from outside). */
export async function injectFault(hosted: HostedWorker, fault: InjectedFault | 'kill'): Promise<void> {
  if (fault === 'kill') return hosted.kill();
  if (!faultSeamOn) throw new Error('the fault seam is off');
  const channel = new BroadcastChannel(FAULT_CHANNEL);
  channel.postMessage({ threadId: hosted.worker.threadId, fault } satisfies FaultRequest);
  channel.close();
}

/** Starts a worker script with a heap limit, watched and registered. */
export function spawnWorker(script: string, options: SpawnOptions): HostedWorker {
  const limitMb = Math.max(MIN_WORKER_MEMORY_MB, Math.round(options.memoryLimitMb ?? DEFAULT_WORKER_MEMORY_MB));
  const workerOptions: WorkerOptions = {
    // Young generation a sixteenth of the old, within V8's usual range; the old generation is the limit people set.
    resourceLimits: { maxOldGenerationSizeMb: limitMb, maxYoungGenerationSizeMb: Math.min(64, Math.max(4, Math.round(limitMb / 16))) },
    workerData: faultSeamOn ? { gradscopeFaultSeam: true, ...options.workerData } : options.workerData,
  };
  const worker = new Worker(script, workerOptions);
  if (options.unref) worker.unref();
  let stopping = false;
  let reported = false;
  let lastError: Error | undefined;
  let exited = false;
  const exitWaiters: (() => void)[] = [];
  const hosted: HostedWorker = {
    worker,
    role: options.role,
    limitMb,
    get exited() { return exited; },
    stop: () => {
      stopping = true;
      return end();
    },
    kill: () => end(),
  };
  function end(): Promise<void> {
    if (exited) return Promise.resolve();
    return new Promise(resolve => {
      exitWaiters.push(resolve);
      void worker.terminate();
    });
  }
  const report = (death: WorkerDeath) => {
    if (reported || stopping) return;
    reported = true;
    options.onDeath?.(death);
  };
  worker.on('error', error => {
    lastError = error;
    // An out-of-memory or an uncaught throw is followed by 'exit'; report with the error's words now.
    report(deathOf(options.role, limitMb, error, undefined));
  });
  worker.on('exit', code => {
    exited = true;
    live.delete(hosted);
    if (code !== 0 || lastError !== undefined) report(deathOf(options.role, limitMb, lastError, code));
    for (const resolve of exitWaiters.splice(0)) resolve();
  });
  live.add(hosted);
  return hosted;
}

export function deathOf(role: string, limitMb: number, error: Error | undefined, exitCode: number | undefined): WorkerDeath {
  const code = (error as { code?: string } | undefined)?.code;
  if (code === 'ERR_WORKER_OUT_OF_MEMORY' || /out of memory|heap limit/i.test(error?.message ?? '')) {
    return { kind: 'oom', role, limitMb, exitCode, error: error?.message };
  }
  if (error !== undefined) return { kind: 'crash', role, limitMb, exitCode, error: error.message };
  return { kind: 'exit', role, limitMb, exitCode };
}

/** "1,234" in every locale the tests run in. */
export function groupedNumber(value: number): string {
  return Math.round(value).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A worker's role in the display language ("training", "probe" …); a role not listed reads as it is. */
export function workerRoleName(role: string): string {
  switch (role) {
    case 'training': return l10n.t('training');
    case 'probe': return l10n.t('probe');
    case 'networks': return l10n.t('networks');
    case 'Compare Networks': return l10n.t('Compare Networks');
    case 'landscape': return l10n.t('landscape');
    case 'universal approximation': return l10n.t('universal approximation');
    default: return role;
  }
}

/**
 * One sentence for the banner: what died and why, and where it was (`where` e.g. "at step 1,234", already in the
 * display language). One template per case, so a language can put "where" first.
 */
export function describeDeath(death: WorkerDeath, where?: string): string {
  const role = workerRoleName(death.role);
  const at = where !== undefined && where !== '' ? where : undefined;
  switch (death.kind) {
    case 'oom':
      return at === undefined
        ? l10n.t('The {0} worker ran out of memory (limit {1} MB).', role, groupedNumber(death.limitMb))
        : l10n.t('The {0} worker ran out of memory (limit {1} MB) {2}.', role, groupedNumber(death.limitMb), at);
    case 'crash': {
      const error = death.error ?? l10n.t('an uncaught error');
      return at === undefined ? l10n.t('The {0} worker crashed: {1}.', role, error) : l10n.t('The {0} worker crashed {2}: {1}.', role, error, at);
    }
    case 'exit': {
      const code = death.exitCode !== undefined ? String(death.exitCode) : '?';
      return at === undefined
        ? l10n.t('The {0} worker stopped unexpectedly (exit code {1}).', role, code)
        : l10n.t('The {0} worker stopped unexpectedly {2} (exit code {1}).', role, code, at);
    }
    default: {
      const never: never = death.kind;
      return String(never);
    }
  }
}

/** Workers alive right now, by role (tests and the shutdown check). */
export function liveWorkers(): { role: string; threadId: number }[] {
  return [...live].map(h => ({ role: h.role, threadId: h.worker.threadId }));
}

/** Test seam: the live workers of one role. */
export function workersOfRole(role: string): HostedWorker[] {
  return [...live].filter(h => h.role === role);
}

/** deactivate(): ends every worker still running; resolves when all have exited. */
export async function terminateAllWorkers(): Promise<number> {
  const all = [...live];
  await Promise.all(all.map(h => h.stop()));
  return all.length;
}
