// The host's border with its webviews: every message a page posts is checked at runtime against the protocol
// (src/protocol.ts types are erased at runtime, and a page can post anything), so a malformed one is dropped with a
// log line instead of reaching a handler's `assertNever` or a `message.request.grid` on undefined. The checks are
// bounded: each list and string has a maximum length and each shape a fixed depth.
import { isActivationName } from '../core/activations/activations';
import type { FromCompareWebview, FromNetworksWebview, FromUatWebview, FromWebview } from '../protocol';

/** A check returns a reason (where and what is wrong), or undefined when the value fits. */
type Check = (value: unknown, at: string) => string | undefined;

const MAX_TEXT = 64 * 1024 * 1024; // a PNG data URL of a large chart
const MAX_LIST = 100_000;

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return value.length > 20 ? 'a long string' : JSON.stringify(value);
  return typeof value;
}

const finite = (min = -Infinity, max = Infinity): Check => (v, at) =>
  typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max ? undefined : `${at} must be a number from ${min} to ${max}, not ${describe(v)}`;
const integer = (min: number, max: number): Check => (v, at) =>
  Number.isSafeInteger(v) && (v as number) >= min && (v as number) <= max ? undefined : `${at} must be a whole number from ${min} to ${max}, not ${describe(v)}`;
const text = (maxLength = MAX_TEXT): Check => (v, at) =>
  typeof v === 'string' && v.length <= maxLength ? undefined : `${at} must be text of at most ${maxLength} characters, not ${describe(v)}`;
const oneOf = (...choices: readonly string[]): Check => (v, at) =>
  typeof v === 'string' && choices.includes(v) ? undefined : `${at} must be one of ${choices.join(', ')}, not ${describe(v)}`;
const activationName: Check = (v, at) => typeof v === 'string' && isActivationName(v) ? undefined : `${at} must be an activation name, not ${describe(v)}`;
/** Anything that is an object: restored states are sanitised field by field by their panels (sanitize*State). */
const anyObject: Check = (v, at) => isRecord(v) ? undefined : `${at} must be an object, not ${describe(v)}`;
const optional = (check: Check): Check => (v, at) => v === undefined ? undefined : check(v, at);

function list(item: Check, maxLength = MAX_LIST): Check {
  return (v, at) => {
    if (!Array.isArray(v)) return `${at} must be a list, not ${describe(v)}`;
    if (v.length > maxLength) return `${at} has ${v.length} entries, at most ${maxLength}`;
    for (let i = 0; i < v.length; i++) {
      const problem = item(v[i], `${at}[${i}]`);
      if (problem) return problem;
    }
    return undefined;
  };
}

function record(valueCheck: Check, maxKeys = 1000): Check {
  return (v, at) => {
    if (!isRecord(v)) return `${at} must be an object, not ${describe(v)}`;
    let count = 0;
    for (const key of Object.keys(v)) {
      if (++count > maxKeys) return `${at} has more than ${maxKeys} keys`;
      const problem = valueCheck(v[key], `${at}.${key.length > 40 ? `${key.slice(0, 40)}…` : key}`);
      if (problem) return problem;
    }
    return undefined;
  };
}

function shape(fields: Record<string, Check>): Check {
  return (v, at) => {
    if (!isRecord(v)) return `${at} must be an object, not ${describe(v)}`;
    for (const key of Object.keys(fields)) {
      const problem = fields[key](v[key], at ? `${at}.${key}` : key);
      if (problem) return problem;
    }
    return undefined;
  };
}

/** A union keyed by `type`: the shape of each message type (besides `type` itself). */
function messages<T extends { type: string }>(shapes: { [K in T['type']]: Record<string, Check> }): (raw: unknown) => ValidatedMessage<T> {
  const table = shapes as Record<string, Record<string, Check>>;
  return raw => {
    if (!isRecord(raw)) return { ok: false, reason: `a message must be an object, not ${describe(raw)}` };
    const type = raw.type;
    if (typeof type !== 'string' || !Object.prototype.hasOwnProperty.call(table, type)) {
      return { ok: false, reason: `unknown message type ${describe(type)}` };
    }
    const problem = shape(table[type])(raw, '');
    return problem ? { ok: false, reason: `'${type}': ${problem}` } : { ok: true, message: raw as T };
  };
}

export type ValidatedMessage<T> = { ok: true; message: T } | { ok: false; reason: string };

const errorLocation = shape({ file: text(4096), line: integer(1, 1e9), column: integer(1, 1e9) });
const uatStart = oneOf('handBuilt', 'random');
const uatNetwork = shape({
  units: list(shape({ w: finite(), b: finite(), v: finite() }), 10_000),
  outputBias: finite(),
});

export const validateFromVisualizeWebview = messages<FromWebview>({
  ready: {},
  control: { action: oneOf('play', 'pause', 'stepBatch', 'stepEpoch', 'reset', 'reseed') },
  set: { lr: optional(finite(0, 1e6)), batchSize: optional(integer(1, 1e9)), snapshotEvery: optional(integer(0, 1e9)) },
  export: { format: oneOf('json', 'csv', 'html') },
  savePng: { chart: text(200), dataUrl: text() },
  saveConfig: {},
  openLocation: { location: errorLocation },
  retry: {},
});

export const validateFromCompareWebview = messages<FromCompareWebview>({
  compareReady: { restored: optional(anyObject) },
  compareVisualize: { activation: activationName, params: record(finite(), 100) },
});

export const validateFromUatWebview = messages<FromUatWebview>({
  uatReady: { restored: optional(anyObject) },
  uatChooseData: {},
  uatTrain: { start: uatStart, network: uatNetwork, lr: finite(0, 1e6), seed: integer(-(2 ** 31), 2 ** 32) },
  uatStopTraining: { start: uatStart },
});

export const validateFromNetworksWebview = messages<FromNetworksWebview>({
  netsReady: {},
  netsStop: {},
  netsRestart: {},
  landscapeCancel: {},
  // Its fields are clamped one by one by the panel's sanitizeRequest: an object is all that must hold here.
  landscapeRun: { request: anyObject },
  netsExport: { format: oneOf('json', 'png'), name: text(1000), content: text() },
});

/**
 * The handler for a panel's onDidReceiveMessage: validated messages go to `handle`, malformed ones are dropped with
 * a line on the extension host's log (never thrown: a throw there would only reach VS Code's own log, unexplained).
 */
export function receiveValidated<T>(panel: string, validate: (raw: unknown) => ValidatedMessage<T>, handle: (message: T) => void): (raw: unknown) => void {
  return raw => {
    const result = validate(raw);
    if (result.ok) handle(result.message);
    else console.warn(`Gradscope ${panel}: ignored a malformed message from the webview: ${result.reason}`);
  };
}
