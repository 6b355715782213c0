// Reading a config's JSON tree: positions (1-based line and column), the issue list, and the checks every section
// shares (objects with known keys, text, numbers in range, whole numbers, booleans, names from a list), each
// reporting at the exact place with a "did you mean" where a near name exists.
import type { Node as JsonNode } from 'jsonc-parser';
import { closestName } from '../didYouMean';
import { coreText, formatCoreText, type CoreArg, type CoreMessageId, type CoreText } from '../messages';
import type { ConfigIssue, ParseConfigOptions } from './configTypes';

export class IssueList {
  readonly issues: ConfigIssue[] = [];
  private readonly lineStarts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
  }

  position(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.lineStarts[lo] + 1 };
  }

  add(severity: 'error' | 'warning', at: { offset: number; length: number }, path: string, text: CoreText): void {
    const start = this.position(at.offset);
    const end = this.position(at.offset + at.length);
    this.issues.push({
      message: formatCoreText(text), text, severity, offset: at.offset, length: at.length,
      line: start.line, column: start.column, endLine: end.line, endColumn: end.column, path,
    });
  }

  get hasErrors(): boolean {
    return this.issues.some(i => i.severity === 'error');
  }
}

export type Path = (string | number)[];

export function pathText(p: Path): string {
  let out = '';
  for (const part of p) out += typeof part === 'number' ? `[${part}]` : out.length > 0 ? `.${part}` : part;
  return out;
}

/** A value as a message names it: 'text', 3, true, null, "a list", "an object" (the last two translated). */
export function describeJson(node: JsonNode): CoreArg {
  switch (node.type) {
    case 'string': return `'${String(node.value)}'`;
    case 'number': case 'boolean': case 'null': return String(node.value);
    case 'array': return coreText('config.aList');
    case 'object': return coreText('config.anObject');
    default: return node.type;
  }
}

/** " — did you mean 'name'?" when there is a guess, else `otherwise` (default: nothing). */
export function didYouMean(guess: string | undefined, otherwise: CoreArg = ''): CoreArg {
  return guess ? coreText('config.didYouMean', { name: guess }) : otherwise;
}

/** A property of an object node: the key node and the value node. */
export interface Property {
  key: string;
  keyNode: JsonNode;
  value: JsonNode;
}

export function propertiesOf(node: JsonNode): Property[] {
  const out: Property[] = [];
  for (const child of node.children ?? []) {
    const [keyNode, value] = child.children ?? [];
    if (keyNode && value) out.push({ key: String(keyNode.value), keyNode, value });
  }
  return out;
}

const SYNTAX_CODES = new Set([
  'InvalidSymbol', 'InvalidNumberFormat', 'PropertyNameExpected', 'ValueExpected', 'ColonExpected', 'CommaExpected',
  'CloseBraceExpected', 'CloseBracketExpected', 'EndOfFileExpected', 'InvalidCommentToken', 'UnexpectedEndOfComment',
  'UnexpectedEndOfString', 'UnexpectedEndOfNumber', 'InvalidUnicode', 'InvalidEscapeCharacter', 'InvalidCharacter',
]);

/** jsonc-parser's error codes in words (config.syntax.<code> in the catalogue; an unknown code as it is). */
export function syntaxMessage(code: string): CoreArg {
  return SYNTAX_CODES.has(code) ? coreText(`config.syntax.${code}` as CoreMessageId) : code;
}

/** The checks every section of the config shares; each section extends it over the same issue list. */
export class ConfigReader {
  constructor(readonly issues: IssueList, protected readonly configPath: string, protected readonly options: ParseConfigOptions) {}

  protected error(node: { offset: number; length: number }, p: Path, id: CoreMessageId, args: Record<string, CoreArg> = {}): void {
    this.issues.add('error', node, pathText(p), coreText(id, args));
  }

  protected warn(node: { offset: number; length: number }, p: Path, id: CoreMessageId, args: Record<string, CoreArg> = {}): void {
    this.issues.add('warning', node, pathText(p), coreText(id, args));
  }

  protected unknownKey(p: Property, parent: Path, allowed: string[]): void {
    const names = allowed.filter(k => k !== '$schema');
    const guess = closestName(p.key, names);
    const suggestion = didYouMean(guess, coreText('config.allowedList', { list: names.join(', ') }));
    if (parent.length > 0) this.error(p.keyNode, [...parent, p.key], 'config.unknownKeyIn', { key: p.key, parent: pathText(parent), suggestion });
    else this.error(p.keyNode, [...parent, p.key], 'config.unknownKey', { key: p.key, suggestion });
  }

  protected objectProps(node: JsonNode, p: Path, allowed: string[]): Map<string, Property> | undefined {
    if (node.type !== 'object') {
      this.error(node, p, 'config.notObject', { path: pathText(p), found: describeJson(node) });
      return undefined;
    }
    const out = new Map<string, Property>();
    for (const prop of propertiesOf(node)) {
      if (out.has(prop.key)) this.error(prop.keyNode, [...p, prop.key], 'config.givenTwice', { key: prop.key });
      out.set(prop.key, prop);
      if (!allowed.includes(prop.key)) this.unknownKey(prop, p, allowed);
    }
    return out;
  }

  // ---- scalars ----

  protected optionalString(node: JsonNode | undefined, p: Path): string | undefined {
    if (!node) return undefined;
    if (node.type !== 'string') {
      this.error(node, p, 'config.notText', { path: pathText(p), found: describeJson(node) });
      return undefined;
    }
    return String(node.value);
  }

  protected number(node: JsonNode | undefined, p: Path, check: { min?: number; max?: number; minExclusive?: boolean; maxExclusive?: boolean }): number | undefined {
    if (!node) return undefined;
    if (node.type !== 'number' || !Number.isFinite(node.value)) {
      this.error(node, p, 'config.notNumber', { path: pathText(p), found: describeJson(node) });
      return undefined;
    }
    const v = node.value as number;
    const { min, max, minExclusive, maxExclusive } = check;
    const low = min !== undefined && (minExclusive ? v <= min : v < min);
    const high = max !== undefined && (maxExclusive ? v >= max : v > max);
    if (low || high) {
      const from = min === undefined ? '' : `${minExclusive ? '>' : '≥'} ${min}`;
      const to = max === undefined ? '' : `${maxExclusive ? '<' : '≤'} ${max}`;
      const range: CoreArg = from && to ? coreText('config.rangeAnd', { from, to }) : from || to;
      this.error(node, p, 'config.numberRange', { path: pathText(p), value: v, range });
      return undefined;
    }
    return v;
  }

  protected integer(node: JsonNode | undefined, p: Path, min: number, max: number): number | undefined {
    if (!node) return undefined;
    if (node.type !== 'number' || !Number.isInteger(node.value)) {
      this.error(node, p, 'config.notWhole', { path: pathText(p), found: describeJson(node) });
      return undefined;
    }
    const v = node.value as number;
    if (v < min || v > max) {
      this.error(node, p, 'config.wholeRange', { path: pathText(p), value: v, min: min.toLocaleString('en-US'), max: max.toLocaleString('en-US') });
      return undefined;
    }
    return v;
  }

  protected boolean(node: JsonNode | undefined, p: Path): boolean | undefined {
    if (!node) return undefined;
    if (node.type !== 'boolean') {
      this.error(node, p, 'config.notBoolean', { path: pathText(p), found: describeJson(node) });
      return undefined;
    }
    return node.value as boolean;
  }

  /** A name from `allowed`; `what` names the kind in messages (config.kind.*: loss, task, optimizer, initialisation). */
  protected parseEnum(node: JsonNode | undefined, p: Path, allowed: readonly string[], what: 'loss' | 'task' | 'optimizer' | 'initialisation', aliases: Record<string, string> = {}): string | undefined {
    if (!node) return undefined;
    if (node.type !== 'string') {
      this.error(node, p, 'config.enumNotText', { path: pathText(p), list: allowed.map(a => `'${a}'`).join(', '), found: describeJson(node) });
      return undefined;
    }
    const v = String(node.value);
    if (allowed.includes(v)) return v;
    // own keys only: '__proto__' is not an alias
    const guess = (Object.hasOwn(aliases, v.toLowerCase()) ? aliases[v.toLowerCase()] : undefined) ?? allowed.find(a => a === v.toLowerCase()) ?? closestName(v, allowed);
    this.error(node, p, 'config.unknownName', { what: coreText(`config.kind.${what}`), value: v, suggestion: didYouMean(guess), list: allowed.join(', ') });
    return undefined;
  }
}
