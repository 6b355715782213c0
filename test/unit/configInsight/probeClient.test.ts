import assert from 'node:assert/strict';
import type { FromProbeWorker, ToProbeWorker } from '../../../src/protocol';
import { KeyedDebouncer, ProbeClient, type ProbeWorkerPort } from '../../../src/configInsight/probeClient';

/** A worker stand-in that records what it was sent; the test answers for it. */
class FakeWorker implements ProbeWorkerPort {
  readonly sent: ToProbeWorker[] = [];
  terminated = false;
  private listener: (m: FromProbeWorker) => void = () => undefined;
  private exitListener: (reason: string) => void = () => undefined;
  postMessage(message: ToProbeWorker): void { this.sent.push(message); }
  onMessage(listener: (m: FromProbeWorker) => void): void { this.listener = listener; }
  onExit(listener: (reason: string) => void): void { this.exitListener = listener; }
  terminate(): void { this.terminated = true; }
  reply(message: FromProbeWorker): void { this.listener(message); }
  die(reason: string): void { this.exitListener(reason); }
}

const settings = { sampleSize: 64, timeBudgetMs: 100, maxSteps: 10 };
const wait = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

function recorder() {
  const events: string[] = [];
  return {
    events,
    listener: {
      onMessage: (m: FromProbeWorker) => events.push(m.type),
      onEnd: (o: { cancelled: boolean; error?: string }) => events.push(o.error ? `error:${o.error}` : `end:${o.cancelled}`),
    },
  };
}

describe('probe client scheduling', () => {
  it('a newer edit of the same config cancels the running probe and only the newest reports', () => {
    const workers: FakeWorker[] = [];
    const client = new ProbeClient(() => { const w = new FakeWorker(); workers.push(w); return w; }, 1000);
    const first = recorder();
    const second = recorder();
    const id1 = client.request({ key: 'a', configPath: '/a.nn.json', configText: '{}', settings }, first.listener);
    const id2 = client.request({ key: 'a', configPath: '/a.nn.json', configText: '{ }', settings }, second.listener);
    const w = workers[0];
    assert.deepEqual(w.sent.map(m => `${m.type}:${m.probeId}`), [`probe:${id1}`, `cancel:${id1}`]);
    // The old probe's late result is dropped, its done starts the next one.
    w.reply({ type: 'probeProblems', probeId: id1, problems: [] });
    w.reply({ type: 'probeDone', probeId: id1, cancelled: true, elapsedMs: 3 });
    assert.equal(w.sent[2].type, 'probe');
    assert.equal(w.sent[2].probeId, id2);
    w.reply({ type: 'probeProblems', probeId: id2, problems: [] });
    w.reply({ type: 'probeDone', probeId: id2, cancelled: false, elapsedMs: 5 });
    assert.deepEqual(first.events, []);
    assert.deepEqual(second.events, ['probeProblems', 'end:false']);
    assert.equal(client.isBusy('a'), false);
    client.dispose();
    assert.equal(w.terminated, true);
  });

  it('terminates and respawns a worker that does not stop within the grace period', async () => {
    const workers: FakeWorker[] = [];
    const client = new ProbeClient(() => { const w = new FakeWorker(); workers.push(w); return w; }, 20);
    const second = recorder();
    client.request({ key: 'a', configPath: '/a', configText: '1', settings }, recorder().listener);
    const id2 = client.request({ key: 'a', configPath: '/a', configText: '2', settings }, second.listener);
    await wait(60);
    assert.equal(workers.length, 2);
    assert.equal(workers[0].terminated, true);
    assert.deepEqual(workers[1].sent.map(m => `${m.type}:${m.probeId}`), [`probe:${id2}`]);
    workers[0].die('terminated'); // the old worker's exit must not disturb the new one
    workers[1].reply({ type: 'probeDone', probeId: id2, cancelled: false, elapsedMs: 1 });
    assert.deepEqual(second.events, ['end:false']);
    client.dispose();
  });

  it('queues other configs (latest per config) and reports a crashed worker as an error', () => {
    const workers: FakeWorker[] = [];
    const client = new ProbeClient(() => { const w = new FakeWorker(); workers.push(w); return w; }, 1000);
    const a = recorder();
    const b = recorder();
    const idA = client.request({ key: 'a', configPath: '/a', configText: '', settings }, a.listener);
    client.request({ key: 'b', configPath: '/b', configText: 'old', settings }, recorder().listener);
    const idB = client.request({ key: 'b', configPath: '/b', configText: 'new', settings }, b.listener);
    assert.deepEqual(workers[0].sent.map(m => m.type), ['probe']);
    workers[0].die('out of memory');
    assert.deepEqual(a.events, ['error:out of memory']);
    assert.equal(workers.length, 2);
    const sent = workers[1].sent[0];
    assert.ok(sent.type === 'probe' && sent.probeId === idB && sent.configText === 'new');
    assert.notEqual(idA, idB);
    client.dispose();
  });

  it('debounces per key: only the last trigger within the delay fires', async () => {
    const fired: string[] = [];
    const debouncer = new KeyedDebouncer(key => fired.push(key));
    debouncer.trigger('a', 30);
    await wait(10);
    debouncer.trigger('a', 30);
    debouncer.trigger('b', 10);
    await wait(20);
    assert.deepEqual(fired, ['b']);
    await wait(40);
    assert.deepEqual(fired, ['b', 'a']);
    debouncer.trigger('a', 10);
    debouncer.cancel('a');
    await wait(30);
    assert.deepEqual(fired, ['b', 'a']);
    debouncer.dispose();
  });
});
