// The host's boundary with its webviews: every message a page posts is data from another process, checked here
// field by field before a panel's switch sees it. A malformed one is refused with a reason (the panel logs it to
// the Output channel and ignores it), never a throw. Pure (no vscode): unit-tested and fuzzed in plain Node.
import { isActivationName } from '../core/activations/activations';
import type {
  CompareState, ControlAction, ErrorLocation, FromCompareWebview, FromNetworksWebview, FromUatWebview, FromWebview, LandscapeRequest,
  UatNetwork, UatState, UatTrainStart,
} from '../protocol';

export type Checked<T> = { ok: true; message: T } | { ok: false; reason: string };

/** Strings a webview may send (a PNG data URL, an export's text) are capped: nothing of this size is legitimate. */
export const MAX_WEBVIEW_STRING = 64 * 1024 * 1024;
/** Short strings: chart ids, file names, paths. */
const MAX_NAME = 4096;

const CONTROL_ACTIONS: readonly ControlAction[] = ['play', 'pause', 'stepBatch', 'stepEpoch', 'reset', 'reseed'];
const UAT_STARTS: readonly UatTrainStart[] = ['handBuilt', 'random'];

type Fields = Record<string, unknown>;

function refuse<T>(reason: string): Checked<T> {
  return { ok: false, reason };
}

function accept<T>(message: T): Checked<T> {
  return { ok: true, message };
}

/** The message as an object with a string `type`, or why not. */
function envelope(raw: unknown): { fields: Fields; type: string } | string {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return `not an object (${raw === null ? 'null' : Array.isArray(raw) ? 'array' : typeof raw})`;
  const fields = raw as Fields;
  const type = fields.type;
  if (typeof type !== 'string') return 'no string "type"';
  return { fields, type: type.length > 64 ? `${type.slice(0, 64)}…` : type };
}

const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** An optional number: absent, or finite and within [lo, hi]. */
function optionalNumber(fields: Fields, key: string, lo: number, hi: number): string | undefined {
  const v = fields[key];
  if (v === undefined) return undefined;
  if (!isFiniteNumber(v) || v < lo || v > hi) return `"${key}" must be a number in [${lo}, ${hi}]`;
  return undefined;
}

function isString(v: unknown, max: number): v is string {
  return typeof v === 'string' && v.length <= max;
}

function isLocation(v: unknown): v is ErrorLocation {
  if (v === null || typeof v !== 'object') return false;
  const { file, line, column } = v as Fields;
  return isString(file, MAX_NAME) && file !== '' && Number.isInteger(line) && (line as number) >= 1 && Number.isInteger(column) && (column as number) >= 1;
}

/** Visualize Network panel → host. */
export function checkFromWebview(raw: unknown): Checked<FromWebview> {
  const e = envelope(raw);
  if (typeof e === 'string') return refuse(e);
  const { fields: f, type } = e;
  switch (type) {
    case 'ready': return accept({ type });
    case 'saveConfig': return accept({ type });
    case 'retry': return accept({ type });
    case 'control': {
      const action = f.action;
      if (typeof action !== 'string' || !(CONTROL_ACTIONS as readonly string[]).includes(action)) return refuse('control: unknown "action"');
      return accept({ type, action: action as ControlAction });
    }
    case 'set': {
      const problem = optionalNumber(f, 'lr', Number.MIN_VALUE, 1e6) ?? optionalNumber(f, 'batchSize', 1, 1e9) ?? optionalNumber(f, 'snapshotEvery', 0, 1e9);
      if (problem !== undefined) return refuse(`set: ${problem}`);
      const message: FromWebview = { type };
      if (f.lr !== undefined) message.lr = f.lr as number;
      if (f.batchSize !== undefined) message.batchSize = Math.round(f.batchSize as number);
      if (f.snapshotEvery !== undefined) message.snapshotEvery = Math.round(f.snapshotEvery as number);
      return accept(message);
    }
    case 'export': {
      const format = f.format;
      if (format !== 'json' && format !== 'csv' && format !== 'html') return refuse('export: "format" must be json, csv or html');
      return accept({ type, format });
    }
    case 'savePng': {
      if (!isString(f.chart, MAX_NAME) || !isString(f.dataUrl, MAX_WEBVIEW_STRING)) return refuse('savePng: "chart" and "dataUrl" must be strings of bounded length');
      return accept({ type, chart: f.chart, dataUrl: f.dataUrl });
    }
    case 'openLocation': {
      if (!isLocation(f.location)) return refuse('openLocation: "location" must be { file, line ≥ 1, column ≥ 1 }');
      const { file, line, column } = f.location;
      return accept({ type, location: { file, line, column } });
    }
    default:
      return refuse(`unknown type "${type}"`);
  }
}

/** Compare Activations panel → host. `restored` is passed on as data; the panel sanitises it. */
export function checkFromCompareWebview(raw: unknown): Checked<FromCompareWebview> {
  const e = envelope(raw);
  if (typeof e === 'string') return refuse(e);
  const { fields: f, type } = e;
  switch (type) {
    case 'compareReady':
      return accept(f.restored === undefined ? { type } : { type, restored: f.restored as CompareState });
    case 'compareVisualize': {
      if (typeof f.activation !== 'string' || !isActivationName(f.activation)) return refuse('compareVisualize: unknown "activation"');
      const params: Record<string, number> = {};
      if (f.params !== undefined) {
        if (f.params === null || typeof f.params !== 'object' || Array.isArray(f.params)) return refuse('compareVisualize: "params" must be an object');
        const entries = Object.entries(f.params as Fields);
        if (entries.length > 16) return refuse('compareVisualize: too many "params"');
        for (const [key, value] of entries) {
          if (key.length > 64 || !isFiniteNumber(value)) return refuse(`compareVisualize: param "${key.slice(0, 64)}" must be a finite number`);
          params[key] = value;
        }
      }
      return accept({ type, activation: f.activation, params });
    }
    default:
      return refuse(`unknown type "${type}"`);
  }
}

/** Universal Approximation panel → host. */
export function checkFromUatWebview(raw: unknown): Checked<FromUatWebview> {
  const e = envelope(raw);
  if (typeof e === 'string') return refuse(e);
  const { fields: f, type } = e;
  const start = f.start;
  const isStart = typeof start === 'string' && (UAT_STARTS as readonly string[]).includes(start);
  switch (type) {
    case 'uatReady':
      return accept(f.restored === undefined ? { type } : { type, restored: f.restored as UatState });
    case 'uatChooseData':
      return accept({ type });
    case 'uatStopTraining':
      if (!isStart) return refuse('uatStopTraining: "start" must be handBuilt or random');
      return accept({ type, start: start as UatTrainStart });
    case 'uatTrain': {
      if (!isStart) return refuse('uatTrain: "start" must be handBuilt or random');
      if (!isFiniteNumber(f.lr) || f.lr <= 0 || f.lr > 1e6) return refuse('uatTrain: "lr" must be a positive number');
      if (!isFiniteNumber(f.seed)) return refuse('uatTrain: "seed" must be a number');
      const network = uatNetworkOf(f.network);
      if (network === undefined) return refuse('uatTrain: "network" must be { units: [{ w, b, v }…], outputBias } of finite numbers');
      return accept({ type, start: start as UatTrainStart, network, lr: f.lr, seed: f.seed });
    }
    default:
      return refuse(`unknown type "${type}"`);
  }
}

/** More hidden units than any page builds (the panel's own sanitiser bounds bumps and towers further). */
const MAX_UAT_UNITS = 10_000;

/** A one-hidden-layer network of finite numbers, copied, or undefined. */
function uatNetworkOf(raw: unknown): UatNetwork | undefined {
  if (raw === null || typeof raw !== 'object') return undefined;
  const { units, outputBias } = raw as Fields;
  if (!Array.isArray(units) || units.length > MAX_UAT_UNITS || !isFiniteNumber(outputBias)) return undefined;
  const copied: UatNetwork['units'] = [];
  for (const unit of units as unknown[]) {
    if (unit === null || typeof unit !== 'object') return undefined;
    const { w, b, v } = unit as Fields;
    if (!isFiniteNumber(w) || !isFiniteNumber(b) || !isFiniteNumber(v)) return undefined;
    copied.push({ w, b, v });
  }
  return { units: copied, outputBias };
}

/** Compare Networks / Loss Landscape panel → host. The landscape request is clamped by the panel's sanitiser. */
export function checkFromNetworksWebview(raw: unknown): Checked<FromNetworksWebview> {
  const e = envelope(raw);
  if (typeof e === 'string') return refuse(e);
  const { fields: f, type } = e;
  switch (type) {
    case 'netsReady': case 'netsStop': case 'netsRestart': case 'landscapeCancel':
      return accept({ type });
    case 'landscapeRun':
      if (f.request === null || typeof f.request !== 'object' || Array.isArray(f.request)) return refuse('landscapeRun: "request" must be an object');
      return accept({ type, request: f.request as LandscapeRequest });
    case 'netsExport': {
      const format = f.format;
      if (format !== 'json' && format !== 'png') return refuse('netsExport: "format" must be json or png');
      if (!isString(f.name, MAX_NAME) || !isString(f.content, MAX_WEBVIEW_STRING)) return refuse('netsExport: "name" and "content" must be strings of bounded length');
      return accept({ type, format, name: f.name, content: f.content });
    }
    default:
      return refuse(`unknown type "${type}"`);
  }
}

/** One Output-channel line for a refused message. */
export function refusedLine(panel: string, reason: string): string {
  return `${panel}: ignored a malformed message from the webview (${reason})`;
}
