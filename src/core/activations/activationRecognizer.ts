// Finds the activation a person is pointing at in source text: `nn.LeakyReLU(0.2)`, `F.gelu(x, approximate="tanh")`,
// `activation="selu"`, `"activation": "serlu"`, `jax.nn.silu`, `tf.layers.leakyReLU({alpha: 0.2})`.
// Names come from the one activation table (its `aliases`); this file only knows how frameworks *call* them:
// which argument is which parameter and what each framework's default is (TF's leaky_relu slope is 0.2,
// PyTorch's 0.01). Pure: no vscode, no DOM.
import type { ActivationName } from '../types';
import { ACTIVATIONS } from './activations';
import { ACTIVATION_MESSAGES } from './activationMessages';

export type Framework = 'pytorch' | 'tensorflow' | 'keras' | 'jax' | 'flax' | 'tfjs' | 'flux' | 'plain' | 'config';

export interface ActivationReference {
  name: ActivationName;
  /** Offsets of the matched text (the dotted name, or the string's content) in the searched text. */
  start: number;
  end: number;
  /** The text as written, e.g. `nn.LeakyReLU` or `selu`. */
  spelling: string;
  framework: Framework;
  /** Parameter values in the table's names: framework defaults overridden by what the call site writes. */
  params: Record<string, number>;
  /** Which of `params` were written at the call site (the rest are the framework's defaults). */
  writtenParams: string[];
  /** Set when the framework's convention differs from the table's, e.g. Keras' PReLU starts its slope at 0. */
  note?: string;
}

export interface RecognizeOptions {
  /** VS Code language id of the document; decides tfjs vs TensorFlow and Flux names. */
  languageId?: string;
  /** A `*.nn.json` config: every string that names an activation is one, generic words included. */
  isConfig?: boolean;
  /** The file imports flax (`import flax.linen as nn`): lower-case and PReLU `nn.*` mean Flax, not PyTorch. */
  flax?: boolean;
}

// ---------------------------------------------------------------------------------------------------------------
// Names: built once from the table's aliases.

/** Case and underscores vary across frameworks (`LeakyReLU`, `leaky_relu`, `leakyRelu`); compare without them. */
export function normalizeSpelling(word: string): string {
  return word.toLowerCase().replace(/[_-]/g, '');
}

interface NameIndex {
  /** Full dotted alias, as written in the table (`nn.ReLU`), → name. */
  dotted: Map<string, ActivationName>;
  /** Normalised last segment (`leakyrelu`) → name. */
  leaf: Map<string, ActivationName>;
}

// Spellings the table does not carry (Flux's Unicode names, Hugging Face config strings); consulted after the
// table, never instead of it.
const EXTRA_LEAF_ALIASES: Record<string, ActivationName> = {
  σ: 'sigmoid',
  hardσ: 'hardsigmoid',
  geluerf: 'gelu',
  gelufast: 'gelu_tanh',
  lrelu: 'leaky_relu',
};

let nameIndex: NameIndex | undefined;

function buildNameIndex(): NameIndex {
  const dotted = new Map<string, ActivationName>();
  const leaf = new Map<string, ActivationName>();
  const all = Object.keys(ACTIVATIONS) as ActivationName[];
  for (const name of all) leaf.set(normalizeSpelling(name), name);
  for (const name of all) {
    for (const spelling of ACTIVATIONS[name].stringNames) if (!leaf.has(normalizeSpelling(spelling))) leaf.set(normalizeSpelling(spelling), name);
  }
  for (const name of all) {
    for (const alias of ACTIVATIONS[name].aliases) {
      if (alias.includes('.')) dotted.set(alias, name);
      const last = alias.slice(alias.lastIndexOf('.') + 1);
      const key = normalizeSpelling(last);
      // The table's own names win over aliases (`swish` is its own entry even if silu lists it).
      if (!leaf.has(key)) leaf.set(key, name);
    }
  }
  for (const [key, name] of Object.entries(EXTRA_LEAF_ALIASES)) {
    if (!leaf.has(key) && name in ACTIVATIONS) leaf.set(key, name);
  }
  return { dotted, leaf };
}

function names(): NameIndex {
  return (nameIndex ??= buildNameIndex());
}

function isGeneric(name: ActivationName): boolean {
  return ACTIVATIONS[name].generic;
}

/** Resolves a word (or dotted name) to a table name, ignoring context. */
export function lookupActivationName(spelling: string): ActivationName | undefined {
  const index = names();
  const exact = index.dotted.get(spelling);
  if (exact) return exact;
  const last = spelling.slice(spelling.lastIndexOf('.') + 1);
  return index.leaf.get(normalizeSpelling(last));
}

// ---------------------------------------------------------------------------------------------------------------
// Where a name counts as an activation.

// A qualifier must look like a neural-network namespace: `np.tanh`, `math.tanh`, `Math.tanh`, `x.sigmoid` stay dark.
const NN_ROOTS = new Set(['torch', 'tf', 'keras', 'jax', 'flax', 'tfjs', 'Flux', 'NNlib', 'tensorflow', 'nnx', 'equinox']);
const NN_NAMESPACES = new Set(['nn', 'F', 'functional', 'activations', 'layers', 'linen', 'jnn', 'Flux', 'NNlib', 'tfl']);

/** A key or argument name whose value is an activation: `activation`, `hidden_act`, `nonlinearity`, `act_fn`. */
const ACTIVATION_KEY = /(activation|nonlinearity|(^|_)act(_?fn|_?func|_?layer)?$|[a-z]Act(Fn)?$)/i;

/** Calls whose string argument is an activation name: `Activation("relu")`, `calculate_gain('tanh')`. */
const ACTIVATION_CALL = /(Activation|activation|get_activation|activations\.get|calculate_gain|layer_activation|getActivation)\s*\(\s*$/;

function isIdentChar(code: number): boolean {
  return (
    (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || code === 36 ||
    code > 127
  );
}

function isIdentCharAt(text: string, i: number): boolean {
  if (i < 0 || i >= text.length) return false;
  const code = text.charCodeAt(i);
  if (code <= 127) return isIdentChar(code);
  return /[\p{L}\p{N}]/u.test(text[i]);
}

/** The text just before `start` (same logical line, a little more for keys), used to judge the context. */
function textBefore(text: string, start: number): string {
  return text.slice(Math.max(0, start - 160), start);
}

/** The key or argument name the token at `start` is the value of (`activation` in `activation="relu"`), if any. */
function keyBefore(text: string, start: number, quoted: boolean): string | undefined {
  let before = textBefore(text, quoted ? start - 1 : start);
  // Inside a list of activations: `activations=["relu", "tanh"]`, `"hidden": ["relu", …]` keeps the key in view.
  const listStart = before.lastIndexOf('[');
  if (listStart >= 0 && !/[\]\n]/.test(before.slice(listStart))) before = before.slice(0, listStart);
  // key=value, key: value, "key": value (Python, R, JS objects, JSON, YAML).
  return /["']?([\p{L}\p{N}_$.-]+)["']?\s*(=|:|<-)\s*$/u.exec(before)?.[1];
}

/** Is the token at `start` (a string's content, or a bare identifier) in an activation slot? */
function inActivationSlot(text: string, start: number, quoted: boolean): boolean {
  const key = keyBefore(text, start, quoted);
  if (key !== undefined && ACTIVATION_KEY.test(key)) return true;
  return ACTIVATION_CALL.test(textBefore(text, quoted ? start - 1 : start));
}

/** Keys of a `*.nn.json` whose string value names an activation besides `activation`: the output, and modules. */
const CONFIG_ACTIVATION_KEYS = new Set(['output', 'name', 'type']);

// ---------------------------------------------------------------------------------------------------------------
// Framework conventions: how each framework passes an activation's parameters.

/** One parameter slot of a call: the table's parameter it feeds, or null for the input tensor. */
type Slot = string | null;

interface CallConvention {
  positional: Slot[];
  /** Keyword (or object-literal key) → the table's parameter name. */
  keywords: Record<string, string>;
  defaults: Record<string, number>;
  note?: string;
}

type Form = 'module' | 'function' | 'reference';

function slopeKey(): string {
  return paramKey('leaky_relu', ['slope', 'negative_slope', 'alpha', 'a'], 'slope');
}

/** The table's name for a parameter of `name`, trying the spellings frameworks use. */
function paramKey(name: ActivationName, candidates: string[], fallback: string): string {
  const defaults = ACTIVATIONS[name].defaults;
  for (const c of candidates) if (c in defaults) return c;
  return fallback;
}

function conventionFor(name: ActivationName, framework: Framework, form: Form, leaf: string): CallConvention | undefined {
  const fn = form === 'function';
  const input: Slot[] = fn ? [null] : [];
  switch (name) {
    case 'leaky_relu': {
      const slope = slopeKey();
      const keywords = { negative_slope: slope, negativeSlope: slope, alpha: slope, a: slope, slope };
      const isLayerClass = /^[A-Z]/.test(leaf) || leaf === 'leakyReLU';
      let slopeDefault = 0.01;
      if (framework === 'tensorflow' || framework === 'tfjs' || framework === 'keras') slopeDefault = isLayerClass ? 0.3 : 0.2;
      return { positional: [...input, slope], keywords, defaults: { [slope]: slopeDefault } };
    }
    case 'prelu': {
      const init = paramKey('prelu', ['init', 'slope', 'a', 'alpha'], 'init');
      if (framework === 'keras' || framework === 'tfjs' || framework === 'tensorflow') {
        return { positional: [], keywords: {}, defaults: { [init]: 0 }, note: ACTIVATION_MESSAGES['act.note.kerasPreluInit'] };
      }
      if (framework === 'flax') {
        return { positional: [], keywords: { negative_slope_init: init }, defaults: { [init]: 0.01 }, note: ACTIVATION_MESSAGES['act.note.flaxPreluInit'] };
      }
      // torch.nn.PReLU(num_parameters=1, init=0.25)
      return { positional: [null, init], keywords: { init }, defaults: { [init]: 0.25 } };
    }
    case 'elu': {
      const alpha = paramKey('elu', ['alpha'], 'alpha');
      return { positional: [...input, alpha], keywords: { alpha }, defaults: { [alpha]: 1 } };
    }
    case 'softplus': {
      const beta = paramKey('softplus', ['beta'], 'beta');
      const threshold = paramKey('softplus', ['threshold'], 'threshold');
      if (framework === 'pytorch') return { positional: [...input, beta, threshold], keywords: { beta, threshold }, defaults: { [beta]: 1 } };
      return { positional: [], keywords: {}, defaults: { [beta]: 1 } };
    }
    case 'silu':
    case 'swish': {
      const beta = paramKey(name, ['beta'], 'beta');
      if (framework === 'tensorflow') return { positional: [...input, beta], keywords: { beta }, defaults: { [beta]: 1 } };
      return { positional: [], keywords: { beta }, defaults: { [beta]: 1 } };
    }
    case 'hardtanh': {
      const min = paramKey('hardtanh', ['min_val', 'min', 'low'], 'min_val');
      const max = paramKey('hardtanh', ['max_val', 'max', 'high'], 'max_val');
      return { positional: [...input, min, max], keywords: { min_val: min, max_val: max }, defaults: {} };
    }
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Argument lists.

export type ArgumentValue = number | string | boolean | null | undefined;

export interface ParsedArguments {
  positional: ArgumentValue[];
  named: Map<string, ArgumentValue>;
}

/** Parses the argument list starting at `open` (the index of `(`), up to its matching `)`. */
export function parseArguments(text: string, open: number): ParsedArguments | undefined {
  const args: string[] = [];
  let depth = 0;
  let quote = '';
  let current = '';
  for (let i = open + 1; i < text.length && i < open + 2000; i++) {
    const ch = text[i];
    if (quote) {
      current += ch;
      if (ch === '\\') { current += text[++i] ?? ''; continue; }
      if (ch === quote) quote = '';
      continue;
    }
    if (ch === '"' || ch === "'" || ch === '`') { quote = ch; current += ch; continue; }
    if (ch === '(' || ch === '[' || ch === '{') depth++;
    if (ch === ')' || ch === ']' || ch === '}') {
      if (depth === 0) {
        args.push(current);
        return splitArguments(args);
      }
      depth--;
    }
    if (ch === ',' && depth === 0) { args.push(current); current = ''; continue; }
    if (ch === '#' && depth === 0) { while (i < text.length && text[i] !== '\n') i++; continue; }
    current += ch;
  }
  return undefined;
}

function splitArguments(raw: string[]): ParsedArguments {
  const positional: ArgumentValue[] = [];
  const named = new Map<string, ArgumentValue>();
  for (const piece of raw) {
    const arg = piece.trim();
    if (arg === '') continue;
    // A tfjs config object `{alpha: 0.2}` carries named arguments.
    if (arg.startsWith('{') && arg.endsWith('}')) {
      const inner = splitArguments(splitTopLevel(arg.slice(1, -1)));
      for (const [k, v] of inner.named) named.set(k, v);
      continue;
    }
    const kw = /^([A-Za-z_$][\w$]*)\s*(?:=(?!=)|:|<-)\s*([\s\S]*)$/.exec(arg);
    if (kw) named.set(kw[1], parseValue(kw[2]));
    else positional.push(parseValue(arg));
  }
  return { positional, named };
}

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = '';
  let current = '';
  for (const ch of text) {
    if (quote) { current += ch; if (ch === quote) quote = ''; continue; }
    if (ch === '"' || ch === "'") quote = ch;
    if ('([{'.includes(ch)) depth++;
    if (')]}'.includes(ch)) depth--;
    if (ch === ',' && depth === 0) { parts.push(current); current = ''; continue; }
    current += ch;
  }
  parts.push(current);
  return parts;
}

function parseValue(text: string): ArgumentValue {
  const t = text.trim();
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[fF]?$/.test(t)) return Number.parseFloat(t);
  const str = /^(["'`])(.*)\1$/s.exec(t);
  if (str) return str[2];
  if (t === 'True' || t === 'true' || t === 'TRUE') return true;
  if (t === 'False' || t === 'false' || t === 'FALSE') return false;
  if (t === 'None' || t === 'null' || t === 'nothing' || t === 'NULL') return null;
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// The token under the cursor.

interface Token {
  start: number;
  end: number;
  text: string;
  quoted: boolean;
}

function tokenAt(text: string, offset: number): Token | undefined {
  let start = offset;
  let end = offset;
  const isChainChar = (i: number) => isIdentCharAt(text, i) || (text[i] === '.' && isIdentCharAt(text, i + 1) && isIdentCharAt(text, i - 1));
  if (!isChainChar(offset) && !isChainChar(offset - 1)) return undefined;
  while (start > 0 && isChainChar(start - 1)) start--;
  while (end < text.length && isChainChar(end)) end++;
  // Astral characters (surrogate pairs) are not identifiers here; trimming keeps offsets on code units.
  if (start === end) return undefined;
  const before = text[start - 1];
  const after = text[end];
  const quoted = (before === '"' || before === "'" || before === '`') && after === before;
  return { start, end, text: text.slice(start, end), quoted };
}

function frameworkOf(segments: string[], leaf: string, options: RecognizeOptions): Framework {
  const root = segments[0];
  const lang = options.languageId ?? '';
  const isJs = /^(javascript|typescript|javascriptreact|typescriptreact)$/.test(lang);
  if (segments.length === 1) return lang === 'julia' ? 'flux' : 'plain';
  if (root === 'torch' || root === 'F' || segments.includes('functional')) return 'pytorch';
  if (root === 'Flux' || root === 'NNlib') return 'flux';
  if (root === 'jax' || root === 'jnn') return 'jax';
  if (root === 'flax' || segments.includes('linen')) return 'flax';
  if (root === 'tfjs' || (root === 'tf' && isJs)) return 'tfjs';
  if (segments.includes('keras') || segments.includes('activations') || (segments.includes('layers') && root !== 'tf')) return 'keras';
  if (root === 'tf' && segments.includes('layers')) return 'keras';
  if (root === 'tf' || root === 'tensorflow') return 'tensorflow';
  if (root === 'nn') {
    // torch.nn classes are capitalised; Flax's functions are lower case.
    if (options.flax && (!/^[A-Z]/.test(leaf) || leaf === 'PReLU')) return 'flax';
    return /^[A-Z]/.test(leaf) ? 'pytorch' : 'flax';
  }
  return 'plain';
}

function qualifierLooksNeural(segments: string[]): boolean {
  if (segments.length === 1) return true;
  if (NN_ROOTS.has(segments[0])) return true;
  return NN_NAMESPACES.has(segments[segments.length - 2]);
}

/**
 * The activation at `offset` in `text`, or undefined. `text` can be a single line or a window of lines around the
 * cursor (arguments may continue on the following lines).
 */
export function findActivationAt(text: string, offset: number, options: RecognizeOptions = {}): ActivationReference | undefined {
  const token = tokenAt(text, offset);
  if (!token) return undefined;
  const segments = token.text.split('.');
  const leaf = segments[segments.length - 1];

  const tableAlias = names().dotted.get(token.text);
  let name = tableAlias ?? names().leaf.get(normalizeSpelling(leaf));
  if (!name) return undefined;

  const inSlot = inActivationSlot(text, token.start, token.quoted);
  const isJson = /^(json|jsonc)$/.test(options.languageId ?? '');
  if (token.quoted) {
    // A string names an activation only where one is expected (or anywhere in a config, where every string is data).
    if (segments.length > 1) return undefined;
    if (!inSlot) {
      if (!options.isConfig) return undefined;
      // In a config: `"output": "sigmoid"`, `{ "type": "activation", "name": "relu" }`, `{ "type": "relu" }` —
      // but `{ "type": "linear" }` is a layer, and `"builtin": "sine"` a dataset.
      const key = keyBefore(text, token.start, true);
      if (key === undefined || !CONFIG_ACTIVATION_KEYS.has(key)) return undefined;
      if (key === 'type' && name === 'linear') return undefined;
    }
  } else {
    if (!tableAlias && !qualifierLooksNeural(segments)) return undefined;
    // In JSON a bare word is a key or a literal, never a name in code.
    if (isJson) return undefined;
    // `keras.activations.linear` is an activation by its namespace; `nn.Linear`, `torch.sin`, `tf.identity` are not.
    const activationNamespace = segments.length > 1 && segments[segments.length - 2] === 'activations';
    if (isGeneric(name) && !inSlot && !options.isConfig && !activationNamespace) return undefined;
    // Exact case for plain words in prose-like places: `Linear` or `Step` in Markdown are not activations.
    if (segments.length === 1 && isGeneric(name) && leaf !== leaf.toLowerCase()) return undefined;
  }

  let framework: Framework = token.quoted ? (options.isConfig ? 'config' : 'plain') : frameworkOf(segments, leaf, options);
  if (options.isConfig && !token.quoted) framework = 'config';

  // Flux and JAX/Flax `gelu` is the tanh approximation; PyTorch, TF and Keras default to the exact form.
  if (name === 'gelu' && (framework === 'jax' || framework === 'flax' || framework === 'flux') && normalizeSpelling(leaf) === 'gelu') {
    name = 'gelu_tanh';
  }

  // A call written right after the name: `nn.LeakyReLU(0.2)`, `F.gelu(x, approximate="tanh")`.
  let args: ParsedArguments | undefined;
  let form: Form = 'reference';
  if (!token.quoted) {
    let i = token.end;
    while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
    if (text[i] === '(') {
      args = parseArguments(text, i);
      const isModule = /^[A-Z]/.test(leaf) || (framework === 'tfjs' && segments.includes('layers'));
      form = isModule ? 'module' : 'function';
    }
  }

  // GELU's approximation is an argument that changes which table entry applies.
  if ((name === 'gelu' || name === 'gelu_tanh') && args) {
    const approximate = args.named.get('approximate') ?? (form === 'module' ? args.positional[0] : args.positional[1]);
    if (approximate === 'tanh' || approximate === true) name = 'gelu_tanh';
    if (approximate === 'none' || approximate === false) name = 'gelu';
  }

  const defaults = { ...ACTIVATIONS[name].defaults };
  const params: Record<string, number> = { ...defaults };
  const writtenParams: string[] = [];
  let note: string | undefined;

  // Keras' ReLU layer becomes ReLU6 or a leaky ReLU through its arguments.
  if (name === 'relu' && args && (framework === 'keras' || framework === 'tfjs')) {
    const maxValue = args.named.get('max_value') ?? args.named.get('maxValue') ?? args.positional[0];
    const negativeSlope = args.named.get('negative_slope') ?? args.named.get('alpha');
    if (maxValue === 6 && (negativeSlope === undefined || negativeSlope === 0)) {
      return { name: 'relu6', start: token.start, end: token.end, spelling: token.text, framework, params: { ...ACTIVATIONS.relu6.defaults }, writtenParams: [] };
    }
    if (typeof negativeSlope === 'number' && negativeSlope > 0) {
      const slope = slopeKey();
      return {
        name: 'leaky_relu', start: token.start, end: token.end, spelling: token.text, framework,
        params: { ...ACTIVATIONS.leaky_relu.defaults, [slope]: negativeSlope }, writtenParams: [slope],
      };
    }
  }

  const convention = conventionFor(name, framework, form, leaf);
  if (convention) {
    Object.assign(params, convention.defaults);
    note = convention.note;
    if (args) {
      convention.positional.forEach((slot, index) => {
        const value = args.positional[index];
        if (slot && typeof value === 'number') { params[slot] = value; writtenParams.push(slot); }
      });
      for (const [keyword, value] of args.named) {
        const slot = convention.keywords[keyword];
        if (slot && typeof value === 'number' && !writtenParams.includes(slot)) { params[slot] = value; writtenParams.push(slot); }
      }
    }
  }

  const start = token.start;
  const end = token.end;
  return { name, start, end, spelling: token.text, framework, params, writtenParams, note };
}

/** Every activation reference in `text` (used by tests and the benchmark to scan files). */
export function findAllActivations(text: string, options: RecognizeOptions = {}): ActivationReference[] {
  const found: ActivationReference[] = [];
  const word = /[\p{L}_$][\p{L}\p{N}_$]*(?:\.[\p{L}_$][\p{L}\p{N}_$]*)*/gu;
  for (let m = word.exec(text); m; m = word.exec(text)) {
    const ref = findActivationAt(text, m.index, options);
    if (ref && ref.start === m.index) found.push(ref);
  }
  return found;
}

/** Does the file import Flax (so `nn.gelu` is Flax's)? Looks only at the first lines, where imports live. */
export function importsFlax(headText: string): boolean {
  return /^\s*(import\s+flax|from\s+flax)/m.test(headText);
}
