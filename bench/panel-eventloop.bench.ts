// The extension host stays responsive while the panel trains: W2 from the core issue (1-(16×32 sigmoid)-1,
// 1,000 samples, batch 32) trains in the worker thread through RunSession exactly as the panel drives it, while
// this process — standing in for the extension host — measures its own event-loop delay with
// perf_hooks.monitorEventLoopDelay. Every message for the webview is JSON-serialised, as VS Code's postMessage does.
// Then the recorded messages are replayed into the real panel page in headless chromium at their original pace,
// and the page's render time per frame is read back.
//
// A second measure: the Compare Networks worker training four presets on a pool of 2 threads (issue 17), its
// messages JSON-serialised as the panel relays them, while this process measures its event loop the same way.
//
//   npm run bench -- panel-eventloop [--seconds N] [--no-browser] [--no-pool]
// Targets: host event-loop delay p99 < 10 ms, max < 50 ms.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import * as esbuild from 'esbuild';
import { Worker } from 'node:worker_threads';
import { RunSession } from '../src/visualize/runSession';
import type { FromNetworksWorker, ToNetworksWorker, ToWebview } from '../src/protocol';

const ROOT = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
const seconds = args.includes('--seconds') ? Number(args[args.indexOf('--seconds') + 1]) : 20;
const withBrowser = !args.includes('--no-browser');

const W2_CONFIG = `{
  "name": "W2: 1-(16×32 sigmoid)-1",
  "data": { "builtin": "sine", "samples": 1000, "validation": 0 },
  "hidden": { "units": 32, "repeat": 16 },
  "activation": "sigmoid",
  "init": "xavier_uniform",
  "optimizer": { "type": "sgd", "lr": 0.05 },
  "batchSize": 32,
  "epochs": 100000,
  "seed": 1
}`;

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

async function hostSide(): Promise<{ messages: { at: number; json: string }[] }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gradscope-bench-'));
  const workerPath = path.join(dir, 'worker.js');
  await esbuild.build({
    entryPoints: [path.join(ROOT, 'src/visualize/trainingWorker.ts')], outfile: workerPath, bundle: true, platform: 'node',
    format: 'cjs', target: 'node18', logLevel: 'warning', mainFields: ['module', 'main'], minify: true,
  });
  const messages: { at: number; json: string }[] = [];
  let bytes = 0;
  let frames = 0;
  let serialiseMs = 0;
  let serialiseMax = 0;
  const started = performance.now();
  const session = new RunSession({
    workerPath,
    post: (message: ToWebview) => {
      const before = performance.now();
      const json = JSON.stringify(message);
      const took = performance.now() - before;
      serialiseMs += took;
      serialiseMax = Math.max(serialiseMax, took);
      bytes += json.length;
      if (message.type === 'frames') frames += message.frames.length;
      messages.push({ at: performance.now() - started, json });
    },
    log: () => undefined,
  });
  session.start({ kind: 'config', configPath: path.join(dir, 'w2.nn.json'), configText: W2_CONFIG }, 'W2', { snapshotEvery: 1 });
  const first = await session.firstSnapshot();
  if (!first.ok) throw new Error(first.error);
  // Measure only while training runs (loading the data is not what the panel's users wait on).
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  const lags: number[] = [];
  // A second, direct measure: how late a 5 ms timer fires, every time.
  let expected = performance.now() + 5;
  const probe = setInterval(() => {
    const now = performance.now();
    lags.push(Math.max(0, now - expected));
    expected = now + 5;
  }, 5);
  const trainStart = performance.now();
  const stepAtStart = session.progress?.step ?? 0;
  await new Promise(resolve => setTimeout(resolve, seconds * 1000));
  histogram.disable();
  clearInterval(probe);
  const elapsed = (performance.now() - trainStart) / 1000;
  const steps = (session.progress?.step ?? 0) - stepAtStart;
  session.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
  lags.sort((a, b) => a - b);
  const ms = (ns: number) => (ns / 1e6).toFixed(2);
  console.log(`\nPanel host event loop while W2 trains in the worker (${elapsed.toFixed(1)} s, Node ${process.version}, ${os.cpus().length} cores)`);
  console.log(`  training            ${steps} steps, ${(steps * 32 / elapsed).toFixed(0)} samples/s (snapshot due every step, throttled)`);
  console.log(`  to the webview      ${messages.length} messages, ${frames} snapshots (${(frames / elapsed).toFixed(1)}/s), ${(bytes / elapsed / 1024).toFixed(0)} KiB/s as JSON`);
  console.log(`  host work per post  mean ${(serialiseMs / Math.max(1, messages.length)).toFixed(3)} ms · max ${serialiseMax.toFixed(2)} ms (JSON of each webview message)`);
  console.log(`  event-loop delay    p50 ${ms(histogram.percentile(50))} ms · p99 ${ms(histogram.percentile(99))} ms · max ${ms(histogram.max)} ms   (monitorEventLoopDelay; target p99 < 10, max < 50)`);
  console.log(`  5 ms timer lateness p50 ${quantile(lags, 0.5).toFixed(2)} ms · p99 ${quantile(lags, 0.99).toFixed(2)} ms · max ${(lags[lags.length - 1] ?? 0).toFixed(2)} ms`);
  return { messages };
}

interface PanelStats { renders: number; lastRenderMs: number; maxRenderMs: number; totalRenderMs: number; layers: number; kept: number }
interface BenchPage { evaluate(script: string): Promise<unknown> }
interface Harness {
  launchBrowser(): Promise<{ close(): Promise<void> }>;
  openPanel(browser: unknown, theme: 'dark' | 'light', options: { width: number; height: number }): Promise<BenchPage>;
}

async function browserSide(messages: { at: number; json: string }[]): Promise<void> {
  // The harness is browser-facing test code (DOM types): loaded by path so this Node-only file stays DOM-free.
  const harness = (await import(path.join(ROOT, 'test', 'webview', 'harness'))) as Harness;
  await esbuild.build({ entryPoints: [path.join(ROOT, 'webview/visualize/main.ts')], outfile: path.join(ROOT, 'media/webview.js'), bundle: true, platform: 'browser', format: 'iife', target: 'es2020', logLevel: 'warning', minify: true });
  const browser = await harness.launchBrowser();
  try {
    const page = await harness.openPanel(browser, 'dark', { width: 1400, height: 1200 });
    // Replay at the recorded pace: the page sees what a live panel sees.
    const t0 = performance.now();
    for (const message of messages) {
      const wait = message.at - messages[0].at - (performance.now() - t0);
      if (wait > 0) await new Promise(resolve => setTimeout(resolve, wait));
      await page.evaluate(`window.postMessage(${message.json}, '*')`);
    }
    await page.evaluate('new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
    const stats = (await page.evaluate(`({ ...window.gradscopeStats, layers: window.gradscopePanel.store.meta?.layers.length ?? 0, kept: window.gradscopePanel.store.frames.length })`)) as PanelStats;
    console.log(`\nPanel frame time (headless chromium, replaying the same ${messages.length} messages at their pace; ${stats.layers} layers, ${stats.kept} snapshots kept)`);
    console.log(`  renders ${stats.renders} · mean ${(stats.totalRenderMs / Math.max(1, stats.renders)).toFixed(1)} ms · last ${stats.lastRenderMs.toFixed(1)} ms · max ${stats.maxRenderMs.toFixed(1)} ms per frame (charts on screen)`);
  } finally {
    await browser.close();
  }
}

/** The host's event loop while the Compare Networks worker trains 4 presets on a pool of `threads` threads. */
async function poolSide(threads: number): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gradscope-bench-pool-'));
  for (const [entry, out] of [['src/compareNetworks/networksWorker.ts', 'networksWorker.js'], ['src/core/parallel/poolWorker.ts', 'poolWorker.js']]) {
    await esbuild.build({ entryPoints: [path.join(ROOT, entry)], outfile: path.join(dir, out), bundle: true, platform: 'node', format: 'cjs', target: 'node18', logLevel: 'warning', mainFields: ['module', 'main'], minify: true });
  }
  const worker = new Worker(path.join(dir, 'networksWorker.js'));
  let messages = 0;
  let bytes = 0;
  let frames = 0;
  let loaded: () => void = () => undefined;
  const isLoaded = new Promise<void>(resolve => { loaded = resolve; });
  worker.on('message', (m: FromNetworksWorker) => {
    const json = JSON.stringify(m); // what webview.postMessage costs the host
    messages++;
    bytes += json.length;
    if (m.type === 'netsFrames') frames += m.frames.length;
    if (m.type === 'netsLoaded') loaded();
    if (m.type === 'netsFailed') throw new Error(m.message);
  });
  const presets = ['deep-sigmoid', 'deep-relu-he', 'relu-batchnorm', 'residual'];
  const start: ToNetworksWorker = {
    type: 'netsStart', jobId: 1, data: { kind: 'builtin', builtin: 'spiral' }, seed: 1, epochs: 100_000, snapshotEvery: 10, threads,
    choices: presets.map(preset => ({ kind: 'preset', preset, label: preset })),
  };
  worker.postMessage(start);
  await isLoaded;
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  const t0 = performance.now();
  await new Promise(resolve => setTimeout(resolve, seconds * 1000));
  histogram.disable();
  const elapsed = (performance.now() - t0) / 1000;
  const stopped = performance.now();
  await worker.terminate(); // as closing the panel does: the pool's threads go with it
  const terminateMs = performance.now() - stopped;
  fs.rmSync(dir, { recursive: true, force: true });
  const ms = (ns: number) => (ns / 1e6).toFixed(2);
  console.log(`\nCompare Networks host event loop while 4 presets train on a pool of ${threads} threads (${elapsed.toFixed(1)} s)`);
  console.log(`  to the webview      ${messages} messages, ${frames} snapshots (${(frames / elapsed).toFixed(1)}/s), ${(bytes / elapsed / 1024).toFixed(0)} KiB/s as JSON`);
  console.log(`  event-loop delay    p50 ${ms(histogram.percentile(50))} ms · p99 ${ms(histogram.percentile(99))} ms · max ${ms(histogram.max)} ms   (target p99 < 10)`);
  console.log(`  closing             worker and pool terminated in ${terminateMs.toFixed(1)} ms`);
}

void (async () => {
  if (!args.includes('--no-pool')) await poolSide(2);
  const { messages } = await hostSide();
  if (withBrowser && fs.existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium')) await browserSide(messages);
})().catch(error => {
  console.error(error);
  process.exit(1);
});
