// Limits that keep hostile JSON from reaching a recursion: jsonc-parser's parseTree and JSON.stringify recurse once
// per level of nesting and overflow the stack a few thousand levels down, so nesting is measured first by a flat
// scan, and values are turned into message text by an iterative, length-capped writer.
import { parseTree, type Node as JsonNode, type ParseError, type ParseOptions } from 'jsonc-parser';


/** Whether a parsed JSON value is an object (not null, not an array): the one guard the core's readers share. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Deeper than this, a config, model or data file is refused before any tree is built. Real files nest < 10. */
export const MAX_JSON_DEPTH = 100;

/**
 * The offset of the first bracket that opens level `maxDepth + 1`, or undefined when the text nests no deeper.
 * Strings and (when `comments`) // and /* *\/ comments are skipped, so brackets inside them do not count. One pass,
 * no allocation; invalid JSON is scanned as well as it can be (the parser reports the syntax error afterwards).
 */
export function excessiveNestingOffset(text: string, maxDepth = MAX_JSON_DEPTH, comments = true): number | undefined {
  let depth = 0;
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) { // "
      for (i++; i < length; i++) {
        const s = text.charCodeAt(i);
        if (s === 92) i++; // backslash: skip the escaped character
        else if (s === 34 || s === 10) break; // a newline ends an unterminated string, as in jsonc-parser
      }
    } else if (c === 91 || c === 123) { // [ {
      if (++depth > maxDepth) return i;
    } else if (c === 93 || c === 125) { // ] }
      if (depth > 0) depth--;
    } else if (c === 47 && comments && i + 1 < length) { // /
      const next = text.charCodeAt(i + 1);
      if (next === 47) {
        const end = text.indexOf('\n', i + 2);
        i = end < 0 ? length : end;
      } else if (next === 42) {
        const end = text.indexOf('*/', i + 2);
        i = end < 0 ? length : end + 1;
      }
    }
  }
  return undefined;
}

/**
 * JSON text for a value in a message, at most `maxLength` characters (cut with "…"), built without recursion so a
 * value nested a million deep costs only its first `maxLength` characters. Matches JSON.stringify on small values.
 */
export function boundedJson(value: unknown, maxLength = 200): string {
  if (value === undefined) return 'undefined';
  let out = '';
  // Work list of what to write next: a value, or literal text (closing brackets, commas, keys).
  const stack: ({ text: string } | { value: unknown })[] = [{ value }];
  const seen = new Set<object>();
  while (stack.length > 0 && out.length <= maxLength) {
    const item = stack.pop()!;
    if ('text' in item) {
      out += item.text;
      continue;
    }
    const v = item.value;
    if (v === null || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') {
      out += JSON.stringify(typeof v === 'string' && v.length > maxLength ? v.slice(0, maxLength + 1) : v);
      continue;
    }
    if (typeof v !== 'object' || v === undefined) {
      out += 'null';
      continue;
    }
    if (seen.has(v)) {
      out += '"[circular]"';
      continue;
    }
    seen.add(v);
    if (Array.isArray(v)) {
      out += '[';
      stack.push({ text: ']' });
      // Pushed in reverse, written in order; only as many as could fit (each takes at least one character).
      const count = Math.min(v.length, maxLength);
      for (let i = count - 1; i >= 0; i--) {
        stack.push({ value: v[i] === undefined ? null : v[i] });
        if (i > 0) stack.push({ text: ',' });
      }
    } else {
      out += '{';
      stack.push({ text: '}' });
      const keys: string[] = [];
      for (const key in v) {
        if (!Object.prototype.hasOwnProperty.call(v, key)) continue;
        if ((v as Record<string, unknown>)[key] === undefined) continue;
        keys.push(key);
        if (keys.length > maxLength) break;
      }
      for (let i = keys.length - 1; i >= 0; i--) {
        stack.push({ value: (v as Record<string, unknown>)[keys[i]] });
        stack.push({ text: `${JSON.stringify(keys[i].length > maxLength ? keys[i].slice(0, maxLength + 1) : keys[i])}:` });
        if (i > 0) stack.push({ text: ',' });
      }
    }
  }
  return out.length > maxLength || stack.length > 0 ? `${out.slice(0, Math.max(0, maxLength - 1))}…` : out;
}

/**
 * jsonc-parser's parseTree, unless the text nests deeper than `maxDepth` (then undefined, as for empty text): for the
 * editor-side readers of a config (quick fixes, line tracking), which must never throw on what the user typed.
 */
export function parseTreeBounded(text: string, errors?: ParseError[], options?: ParseOptions, maxDepth = MAX_JSON_DEPTH): JsonNode | undefined {
  if (excessiveNestingOffset(text, maxDepth, !(options?.disallowComments ?? false)) !== undefined) return undefined;
  return parseTree(text, errors, options);
}
