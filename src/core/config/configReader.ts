// Reading a config's JSON tree: positions (1-based line and column), the issue list, and the checks every section
// shares (objects with known keys, text, numbers in range, whole numbers, booleans, names from a list), each
// reporting at the exact place with a "did you mean" where a near name exists.
import type { Node as JsonNode } from 'jsonc-parser';
import { closestName } from '../didYouMean';
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

  add(severity: 'error' | 'warning', at: { offset: number; length: number }, path: string, message: string): void {
    const start = this.position(at.offset);
    const end = this.position(at.offset + at.length);
    this.issues.push({
      message, severity, offset: at.offset, length: at.length,
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

export function describeJson(node: JsonNode): string {
  switch (node.type) {
    case 'string': return `'${String(node.value)}'`;
    case 'number': case 'boolean': case 'null': return String(node.value);
    case 'array': return 'a list';
    case 'object': return 'an object';
    default: return node.type;
  }
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

/** jsonc-parser's error codes in words. */
export function syntaxMessage(code: string): string {
  const friendly: Record<string, string> = {
    InvalidSymbol: 'unexpected character',
    InvalidNumberFormat: 'not a valid number',
    PropertyNameExpected: 'expected a property name in double quotes',
    ValueExpected: 'expected a value',
    ColonExpected: "expected ':' after the property name",
    CommaExpected: "expected ',' between entries",
    CloseBraceExpected: "expected '}'",
    CloseBracketExpected: "expected ']'",
    EndOfFileExpected: 'unexpected text after the end of the config',
    InvalidCommentToken: 'broken comment',
    UnexpectedEndOfComment: 'a /* comment */ is never closed',
    UnexpectedEndOfString: 'a string is never closed (missing ")',
    UnexpectedEndOfNumber: 'a number ends too early',
    InvalidUnicode: 'invalid \\u escape',
    InvalidEscapeCharacter: 'invalid escape character in a string',
    InvalidCharacter: 'invalid character in a string',
  };
  return friendly[code] ?? code;
}

/** The checks every section of the config shares; each section extends it over the same issue list. */
export class ConfigReader {
  constructor(readonly issues: IssueList, protected readonly configPath: string, protected readonly options: ParseConfigOptions) {}

  protected error(node: { offset: number; length: number }, p: Path, message: string): void {
    this.issues.add('error', node, pathText(p), message);
  }

  protected warn(node: { offset: number; length: number }, p: Path, message: string): void {
    this.issues.add('warning', node, pathText(p), message);
  }


  protected unknownKey(p: Property, parent: Path, allowed: string[]): void {
    const guess = closestName(p.key, allowed.filter(k => k !== '$schema'));
    const where = parent.length > 0 ? ` in ${pathText(parent)}` : '';
    this.error(p.keyNode, [...parent, p.key], `unknown key '${p.key}'${where}${guess ? ` — did you mean '${guess}'?` : ` (allowed: ${allowed.filter(k => k !== '$schema').join(', ')})`}`);
  }

  protected objectProps(node: JsonNode, p: Path, allowed: string[]): Map<string, Property> | undefined {
    if (node.type !== 'object') {
      this.error(node, p, `${pathText(p)} must be an object, not ${describeJson(node)}`);
      return undefined;
    }
    const out = new Map<string, Property>();
    for (const prop of propertiesOf(node)) {
      if (out.has(prop.key)) this.error(prop.keyNode, [...p, prop.key], `'${prop.key}' is given twice`);
      out.set(prop.key, prop);
      if (!allowed.includes(prop.key)) this.unknownKey(prop, p, allowed);
    }
    return out;
  }

  // ---- scalars ----

  protected optionalString(node: JsonNode | undefined, p: Path): string | undefined {
    if (!node) return undefined;
    if (node.type !== 'string') {
      this.error(node, p, `${pathText(p)} must be text, not ${describeJson(node)}`);
      return undefined;
    }
    return String(node.value);
  }

  protected number(node: JsonNode | undefined, p: Path, check: { min?: number; max?: number; minExclusive?: boolean; maxExclusive?: boolean }): number | undefined {
    if (!node) return undefined;
    if (node.type !== 'number' || !Number.isFinite(node.value)) {
      this.error(node, p, `${pathText(p)} must be a number, not ${describeJson(node)}`);
      return undefined;
    }
    const v = node.value as number;
    const { min, max, minExclusive, maxExclusive } = check;
    const low = min !== undefined && (minExclusive ? v <= min : v < min);
    const high = max !== undefined && (maxExclusive ? v >= max : v > max);
    if (low || high) {
      const from = min === undefined ? '' : `${minExclusive ? '>' : '≥'} ${min}`;
      const to = max === undefined ? '' : `${maxExclusive ? '<' : '≤'} ${max}`;
      this.error(node, p, `${pathText(p)} is ${v}: it must be ${[from, to].filter(Boolean).join(' and ')}`);
      return undefined;
    }
    return v;
  }

  protected integer(node: JsonNode | undefined, p: Path, min: number, max: number): number | undefined {
    if (!node) return undefined;
    if (node.type !== 'number' || !Number.isInteger(node.value)) {
      this.error(node, p, `${pathText(p)} must be a whole number, not ${describeJson(node)}`);
      return undefined;
    }
    const v = node.value as number;
    if (v < min || v > max) {
      this.error(node, p, `${pathText(p)} is ${v}: it must be from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')}`);
      return undefined;
    }
    return v;
  }

  protected boolean(node: JsonNode | undefined, p: Path): boolean | undefined {
    if (!node) return undefined;
    if (node.type !== 'boolean') {
      this.error(node, p, `${pathText(p)} must be true or false, not ${describeJson(node)}`);
      return undefined;
    }
    return node.value as boolean;
  }

  protected parseEnum(node: JsonNode | undefined, p: Path, allowed: readonly string[], what: string, aliases: Record<string, string> = {}): string | undefined {
    if (!node) return undefined;
    if (node.type !== 'string') {
      this.error(node, p, `${pathText(p)} must be one of ${allowed.map(a => `'${a}'`).join(', ')}, not ${describeJson(node)}`);
      return undefined;
    }
    const v = String(node.value);
    if (allowed.includes(v)) return v;
    const guess = aliases[v.toLowerCase()] ?? allowed.find(a => a === v.toLowerCase()) ?? closestName(v, allowed);
    this.error(node, p, `unknown ${what} '${v}'${guess ? ` — did you mean '${guess}'?` : ''} (allowed: ${allowed.join(', ')})`);
    return undefined;
  }
}
