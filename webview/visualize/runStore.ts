// The panel's copy of one run: its description, the recorded snapshots (thinned when long) and the latest view.
import type { RunMeta, RunSource, RunState, SnapshotFrame } from '../../src/protocol';
import type { DivergenceInfo, FunctionView, LayerProbe, Snapshot } from '../../src/core/types';

/** Past this many snapshots the older three quarters are thinned by half, so a long run stays light. */
export const MAX_FRAMES = 1200;

/** Live runs keep at most about this many function views (thinned like the frames) for scrubbing back. */
export const MAX_KEPT_VIEWS = 80;

export class RunStore {
  runId = -1;
  meta: RunMeta | undefined;
  source: RunSource | undefined;
  sourceLabel = '';
  frames: SnapshotFrame[] = [];
  state: RunState = 'loading';
  stateDetail: string | undefined;
  divergence: DivergenceInfo | undefined;
  /** Why the run stopped or could not start; `restartable` (a crashed worker) offers Restart instead of Retry. */
  error: { message: string; location?: { file: string; line: number; column: number }; restartable?: boolean } | undefined;
  progress: { epoch: number; epochs: number; step: number } | undefined;
  /** Replay or scrub position: draw frames up to this index; undefined means the latest. */
  cursor: number | undefined;
  /** Reports keep every recorded view so the replay can show the function at each point. */
  keepAllViews = false;
  private viewCount = 0;

  startRun(runId: number, meta: RunMeta, sourceLabel: string, source: RunSource | undefined, frames: SnapshotFrame[]): void {
    this.runId = runId;
    this.meta = meta;
    this.sourceLabel = sourceLabel;
    this.source = source;
    this.frames = [];
    this.viewCount = 0;
    this.divergence = undefined;
    this.error = undefined;
    this.progress = undefined;
    this.cursor = undefined;
    this.state = 'loading';
    this.add(frames);
  }

  add(frames: readonly SnapshotFrame[]): void {
    for (const frame of frames) {
      if (!this.keepAllViews) {
        // Older snapshots keep their percentiles for the history charts; their histograms only where a function
        // view is kept too, so scrubbing back shows a histogram from near the chosen step without holding all.
        const previous = this.frames[this.frames.length - 1];
        if (previous !== undefined && previous.view === undefined) for (const layer of previous.snapshot.layers) dropHistograms(layer);
      }
      this.frames.push(frame);
      if (frame.view !== undefined) this.viewCount++;
    }
    if (this.frames.length > this.maxFrames()) this.thin();
    if (!this.keepAllViews && this.viewCount > MAX_KEPT_VIEWS) this.thinViews();
  }

  /** Halves the older views (the newest quarter stays whole): the scrub slider finds one near any step. */
  private thinViews(): void {
    const withView = this.frames.filter(frame => frame.view !== undefined);
    const keepTail = Math.floor(withView.length / 4);
    const drop = new Set(withView.slice(0, withView.length - keepTail).filter((_, i) => i % 2 === 1));
    this.frames = this.frames.map(frame => {
      if (!drop.has(frame)) return frame;
      for (const layer of frame.snapshot.layers) dropHistograms(layer);
      return { snapshot: frame.snapshot };
    });
    this.viewCount -= drop.size;
  }

  /** Fewer snapshots for deeper nets: the history holds about 60k layer probes at most. */
  maxFrames(): number {
    const layers = Math.max(1, this.meta?.layers.length ?? 1);
    return Math.max(200, Math.min(MAX_FRAMES, Math.floor(60000 / layers)));
  }

  private thin(): void {
    const atCursor = this.cursor === undefined ? undefined : this.frames[this.cursor];
    const keepTail = Math.floor(this.frames.length / 4);
    const head = this.frames.slice(0, this.frames.length - keepTail);
    const thinned = head.filter((frame, i) => i % 2 === 0 || frame.view !== undefined && this.keepAllViews);
    this.frames = thinned.concat(this.frames.slice(this.frames.length - keepTail));
    this.viewCount = this.frames.reduce((count, frame) => count + (frame.view !== undefined ? 1 : 0), 0);
    if (atCursor !== undefined) {
      // The frame shown stays shown (or its kept neighbour, when it was thinned away).
      const index = this.frames.indexOf(atCursor);
      this.cursor = index >= 0 ? index : Math.max(0, this.frames.findIndex(frame => frame.snapshot.step > atCursor.snapshot.step) - 1);
    }
  }

  /** Shows an earlier snapshot (scrubbing): every chart draws the run as it was then; undefined is the present. */
  scrubTo(index: number | undefined): void {
    this.cursor = index === undefined || index >= this.frames.length - 1 ? undefined : Math.max(0, Math.floor(index));
  }

  /** Frames up to the replay cursor (all of them live). */
  visibleFrames(): SnapshotFrame[] {
    return this.cursor === undefined ? this.frames : this.frames.slice(0, this.cursor + 1);
  }

  visibleSnapshots(): Snapshot[] {
    return this.visibleFrames().map(frame => frame.snapshot);
  }

  latest(): Snapshot | undefined {
    const frames = this.visibleFrames();
    return frames[frames.length - 1]?.snapshot;
  }

  latestView(): FunctionView | undefined {
    const frames = this.visibleFrames();
    for (let i = frames.length - 1; i >= 0; i--) {
      const view = frames[i].view;
      if (view !== undefined) return view;
    }
    return undefined;
  }
}

function dropHistograms(layer: LayerProbe): void {
  if (layer.z.histogram.counts.length > 0) layer.z.histogram = { min: layer.z.histogram.min, max: layer.z.histogram.max, counts: [] };
  if (layer.a.histogram.counts.length > 0) layer.a.histogram = { min: layer.a.histogram.min, max: layer.a.histogram.max, counts: [] };
}
