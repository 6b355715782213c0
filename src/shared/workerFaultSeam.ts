// Test seam, worker side: when the host started this worker with the seam on (extension tests only), a
// BroadcastChannel message naming this thread makes it fail the way a real fault would: allocate until the heap
// limit ends it, throw from a callback, or exit with a code. Off (nothing listens) in normal use.
import { BroadcastChannel, threadId, workerData } from 'node:worker_threads';

export const FAULT_CHANNEL = 'gradscope-worker-faults';
export type InjectedFault = 'oom' | 'throw' | 'exit';
export interface FaultRequest { threadId: number; fault: InjectedFault }

export function installFaultSeam(): void {
  if ((workerData as { gradscopeFaultSeam?: boolean } | undefined)?.gradscopeFaultSeam !== true) return;
  const channel = new BroadcastChannel(FAULT_CHANNEL);
  channel.unref();
  channel.onmessage = (event: unknown) => {
    const request = (event as { data?: FaultRequest }).data;
    if (request === undefined || request.threadId !== threadId) return;
    setTimeout(() => misbehave(request.fault), 0);
  };
}

function misbehave(fault: InjectedFault): void {
  switch (fault) {
    case 'oom': {
      const hoard: unknown[] = [];
      for (;;) hoard.push(Array.from({ length: 100_000 }, (_, i) => ({ i })));
    }
    case 'throw':
      throw new Error('fault injected by the test seam');
    case 'exit':
      process.exit(3);
    default: {
      const never: never = fault;
      throw new Error(`unknown fault ${String(never)}`);
    }
  }
}
