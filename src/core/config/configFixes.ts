// The quick fixes the live probe offers, as JSON edits of a `*.nn.json` config's text. Computed with jsonc-parser's
// `modify` (or, to wrap layers in residual blocks, by inserting text around them) so the user's formatting and
// comments survive. Pure: no vscode; the editor turns the edits into a WorkspaceEdit.
import { parseTreeBounded } from '../io/jsonLimits';
import { applyEdits, findNodeAtLocation, modify, type Edit, type JSONPath, type Node } from 'jsonc-parser';
import { lookupActivation } from '../activations/activations';
import type { ConfigFixKind } from '../analysis/probeWarnings';

export type { ConfigFixKind } from '../analysis/probeWarnings';

export const CONFIG_FIX_TITLES: Readonly<Record<ConfigFixKind, string>> = {
  reluHe: 'Switch hidden activations to ReLU with He initialisation',
  seluLecun: 'Switch hidden activations to SELU with LeCun initialisation',
  batchNorm: 'Add batch normalisation to the hidden layers',
  skipEvery2: 'Add skip connections every 2 layers',
  lowerLr: 'Lower the learning rate 10×',
};

/** Learning rate assumed when a config does not set one (the config loader's default for SGD-like optimizers). */
export const DEFAULT_LR_FOR_FIX = 0.01;

export interface FixOptions {
  /** The learning rate in effect when the config does not write one. */
  defaultLr?: number;
}

/** The edits (offsets in `text`) that apply `fix`; empty when the fix does not apply or changes nothing. */
export function configFixEdits(text: string, fix: ConfigFixKind, options: FixOptions = {}): Edit[] {
  const root = parseTreeBounded(text, [], { allowTrailingComma: true, disallowComments: false });
  if (!root || root.type !== 'object') return [];
  const fixed = applyFix(text, root, fix, options);
  return fixed === text ? [] : [minimalEdit(text, fixed)];
}

/** The config text after the fix (what the editor will show). */
export function applyConfigFix(text: string, fix: ConfigFixKind, options: FixOptions = {}): string {
  return applyEdits(text, configFixEdits(text, fix, options));
}

function applyFix(text: string, root: Node, fix: ConfigFixKind, options: FixOptions): string {
  switch (fix) {
    case 'reluHe': return switchActivation(text, 'relu', 'he_normal');
    case 'seluLecun': return switchActivation(text, 'selu', 'lecun_normal');
    case 'batchNorm': return addBatchNorm(text, root);
    case 'skipEvery2': return addSkips(text, root);
    case 'lowerLr': return lowerLearningRate(text, root, options.defaultLr ?? DEFAULT_LR_FOR_FIX);
    default: return assertNever(fix);
  }
}

// ---- text helpers ----

interface Indentation {
  tabSize: number;
  insertSpaces: boolean;
  eol: string;
}

/** The file's own indentation, so inserted JSON looks like the rest. */
function indentationOf(text: string): Indentation {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const indented = /\n([ \t]+)\S/.exec(text);
  if (indented && indented[1].startsWith('\t')) return { tabSize: 1, insertSpaces: false, eol };
  const width = indented ? Math.min(indented[1].length, 8) : 2;
  return { tabSize: width, insertSpaces: true, eol };
}

function set(text: string, path: JSONPath, value: unknown): string {
  const fmt = indentationOf(text);
  return applyEdits(text, modify(text, path, value, { formattingOptions: fmt }));
}

function tree(text: string): Node | undefined {
  return parseTreeBounded(text, [], { allowTrailingComma: true, disallowComments: false });
}

function propertyValue(node: Node | undefined, key: string): Node | undefined {
  if (!node || node.type !== 'object') return undefined;
  return node.children?.find(p => p.children?.[0]?.value === key)?.children?.[1];
}

/** Remove `key` from an object as written, with its separating comma, leaving the rest of the text as it was. */
function removeProperty(text: string, object: Node, key: string): string {
  const properties = object.children ?? [];
  const at = properties.findIndex(p => p.children?.[0]?.value === key);
  if (at < 0) return text;
  const property = properties[at];
  if (at > 0) {
    const previous = properties[at - 1];
    return text.slice(0, previous.offset + previous.length) + text.slice(property.offset + property.length);
  }
  const next = properties[at + 1];
  return next ? text.slice(0, property.offset) + text.slice(next.offset) : text.slice(0, property.offset) + text.slice(property.offset + property.length);
}

/** One edit from the first differing character to the last: comments and formatting in between are untouched. */
function minimalEdit(before: string, after: string): Edit {
  let start = 0;
  const shortest = Math.min(before.length, after.length);
  while (start < shortest && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore > start && endAfter > start && before.charCodeAt(endBefore - 1) === after.charCodeAt(endAfter - 1)) {
    endBefore--;
    endAfter--;
  }
  return { offset: start, length: endBefore - start, content: after.slice(start, endAfter) };
}

// ---- the module list ----

/** A module of an explicit `layers` list, as written. */
interface ModuleEntry {
  path: JSONPath;
  node: Node;
  type: string | undefined;
}

/** Other spellings of module types the config accepts (configSchema's MODULE_TYPE_ALIASES). */
const MODULE_ALIASES: Record<string, string> = {
  dense: 'linear', fc: 'linear', batch_norm: 'batchnorm', batchnorm1d: 'batchnorm', bn: 'batchnorm', skip: 'residual',
};

/** The canonical module type of an entry; an activation named by its type ({ "type": "relu" }) is 'activation'. */
function moduleType(node: Node): string | undefined {
  if (node.type === 'number') return 'linear';
  const type = propertyValue(node, 'type');
  if (type?.type === 'string') {
    const written = String(type.value).toLowerCase();
    const canonical = MODULE_ALIASES[written] ?? written;
    if (['linear', 'activation', 'batchnorm', 'dropout', 'residual', 'repeat'].includes(canonical)) return canonical;
    return lookupActivation(String(type.value)) ? 'activation' : undefined;
  }
  if (propertyValue(node, 'units')) return 'linear';
  if (propertyValue(node, 'count') && propertyValue(node, 'layers')) return 'repeat';
  return undefined;
}

/** The entries of an array of modules at `path`, depth-first into residual and repeat blocks (in source order). */
function modulesAt(root: Node, path: JSONPath): ModuleEntry[] {
  const array = findNodeAtLocation(root, path);
  if (!array || array.type !== 'array') return [];
  const entries: ModuleEntry[] = [];
  (array.children ?? []).forEach((node, i) => {
    const entryPath = [...path, i];
    const type = moduleType(node);
    entries.push({ path: entryPath, node, type });
    if (type === 'residual' || type === 'repeat') entries.push(...modulesAt(root, [...entryPath, 'layers']));
  });
  return entries;
}

/** The explicit module list, when `layers` is an array of modules (not a shorthand list of widths). */
function explicitLayers(root: Node): ModuleEntry[] {
  const entries = modulesAt(root, ['layers']);
  return entries.some(e => e.node.type === 'object') ? entries : [];
}

/** Entries before the last linear module: everything that is not the output layer or its activation. */
function hiddenEntries(entries: ModuleEntry[]): ModuleEntry[] {
  let lastLinear = -1;
  entries.forEach((e, i) => { if (e.type === 'linear') lastLinear = i; });
  return entries.slice(0, Math.max(lastLinear, 0));
}

// ---- the fixes ----

function switchActivation(text: string, activation: string, init: string): string {
  let current = text;
  let root = tree(current);
  if (!root) return text;
  const entries = explicitLayers(root);
  if (entries.length > 0) {
    // Per-module activations and inits, output layer untouched; applied last to first so paths stay valid.
    const hidden = hiddenEntries(entries);
    for (const entry of [...hidden].reverse()) {
      if (entry.node.type !== 'object') continue;
      if (entry.type === 'activation') {
        // { "type": "activation", "name": "sigmoid" } or { "type": "sigmoid" }.
        const named = propertyValue(entry.node, 'name') !== undefined;
        current = set(current, [...entry.path, named ? 'name' : 'type'], activation);
        // Parameters of the old activation mean nothing to the new one (applied after `name`: offsets after it).
        for (const key of ['perUnit', 'params']) {
          const node = findNodeAtLocation(tree(current) ?? entry.node, entry.path);
          if (node) current = removeProperty(current, node, key);
        }
      } else if (entry.type === 'linear') {
        if (propertyValue(entry.node, 'activation')) current = set(current, [...entry.path, 'activation'], activation);
        const ownInit = propertyValue(entry.node, 'init');
        if (ownInit?.type === 'object') current = set(current, [...entry.path, 'init', 'type'], init);
        else if (ownInit) current = set(current, [...entry.path, 'init'], init);
      }
    }
    root = tree(current);
  }
  if (!root) return text;
  // Shorthand form and top-level defaults.
  const topActivation = propertyValue(root, 'activation');
  if (topActivation) current = set(current, ['activation'], activation);
  root = tree(current);
  const topInit = propertyValue(root, 'init');
  if (topInit?.type === 'object') current = set(current, ['init', 'type'], init);
  else current = set(current, ['init'], init);
  return current;
}

function addBatchNorm(text: string, root: Node): string {
  const entries = explicitLayers(root);
  if (entries.length === 0) {
    const existing = propertyValue(root, 'batchNorm');
    if (existing?.type === 'boolean' && existing.value === true) return text;
    return set(text, ['batchNorm'], true);
  }
  // After each hidden linear module that is not already followed by a batch norm.
  let current = text;
  const hidden = hiddenEntries(entries);
  const targets = hidden.filter((entry, i) => {
    if (entry.type !== 'linear') return false;
    const next = hidden[i + 1] ?? entries[entries.indexOf(entry) + 1];
    return next?.type !== 'batchnorm';
  });
  for (const entry of [...targets].reverse()) current = insertAfter(current, entry.node, '{ "type": "batchnorm" }');
  return current;
}

/** Insert an array element after `item`, on its own line with the item's indentation when the item has one. */
function insertAfter(text: string, item: Node, elementText: string): string {
  const end = item.offset + item.length;
  const lineStart = text.lastIndexOf('\n', item.offset - 1) + 1;
  const before = text.slice(lineStart, item.offset);
  const separator = /^[ \t]*$/.test(before) ? `${indentationOf(text).eol}${before}` : ' ';
  return `${text.slice(0, end)},${separator}${elementText}${text.slice(end)}`;
}

function addSkips(text: string, root: Node): string {
  const entries = explicitLayers(root);
  if (entries.length === 0) {
    const existing = propertyValue(root, 'skip');
    if (existing?.type === 'number' && existing.value === 2) return text;
    return set(text, ['skip'], 2);
  }
  // Top-level hidden blocks (a linear module and what follows it up to the next linear), wrapped in pairs.
  const array = findNodeAtLocation(root, ['layers']);
  const items = array?.children ?? [];
  if (items.some(item => moduleType(item) === 'residual')) return text; // already has skip connections
  const blocks: { start: number; end: number }[] = [];
  let lastLinear = -1;
  items.forEach((item, i) => { if (moduleType(item) === 'linear') lastLinear = i; });
  items.forEach((item, i) => {
    if (i >= lastLinear) return;
    if (moduleType(item) === 'linear' || blocks.length === 0) blocks.push({ start: i, end: i });
    else blocks[blocks.length - 1].end = i;
  });
  // The first block maps the input width to the hidden width; pairs start after it so each residual keeps a width.
  const wraps: { start: number; end: number }[] = [];
  for (let b = 1; b + 1 < blocks.length; b += 2) wraps.push({ start: blocks[b].start, end: blocks[b + 1].end });
  if (wraps.length === 0) return text;
  const fmt = indentationOf(text);
  const unit = fmt.insertSpaces ? ' '.repeat(fmt.tabSize) : '\t';
  let current = text;
  for (const wrap of [...wraps].reverse()) {
    const first = items[wrap.start];
    const last = items[wrap.end];
    const endOffset = last.offset + last.length;
    const lineStart = current.lastIndexOf('\n', first.offset - 1) + 1;
    const indent = /^[ \t]*/.exec(current.slice(lineStart, first.offset))?.[0] ?? '';
    // The wrapped modules move one level in; everything in them, comments included, stays as written.
    const inner = current.slice(first.offset, endOffset).split(/\r?\n/).join(`${fmt.eol}${unit}`);
    current = `${current.slice(0, first.offset)}{ "type": "residual", "layers": [${fmt.eol}${indent}${unit}${inner}` +
      `${fmt.eol}${indent}] }${current.slice(endOffset)}`;
  }
  return current;
}

function lowerLearningRate(text: string, root: Node, defaultLr: number): string {
  const nested = findNodeAtLocation(root, ['optimizer', 'lr']);
  const flat = findNodeAtLocation(root, ['lr']);
  const written = nested ?? flat;
  const lr = written?.type === 'number' ? Number(written.value) : defaultLr;
  // toPrecision drops float noise: 0.003 / 10 is 0.00030000000000000003.
  const lowered = Number((lr / 10).toPrecision(12));
  if (nested || !flat) {
    const optimizer = propertyValue(root, 'optimizer');
    if (optimizer && optimizer.type === 'string') return set(text, ['optimizer'], { type: optimizer.value, lr: lowered });
    return set(text, ['optimizer', 'lr'], lowered);
  }
  return set(text, ['lr'], lowered);
}

function assertNever(value: never): never {
  throw new Error(`unexpected fix ${String(value)}`);
}
