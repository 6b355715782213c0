// Offsets of keys and values in a config's text (tolerant of half-typed JSON), via jsonc-parser's tree. Pure.
import { findNodeAtLocation, type Node, type ParseError } from 'jsonc-parser';
import { parseTreeBounded } from '../core/io/jsonLimits';

export interface TextSpan {
  offset: number;
  length: number;
}

export function parseConfigTree(text: string): Node | undefined {
  const errors: ParseError[] = [];
  return parseTreeBounded(text, errors, { allowTrailingComma: true, disallowComments: false });
}

/** The value at a JSON path; for a missing last segment, its parent's span (the closest thing to point at). */
export function spanOfPath(root: Node | undefined, path: (string | number)[]): TextSpan | undefined {
  if (!root) return undefined;
  for (let depth = path.length; depth >= 0; depth--) {
    const node = findNodeAtLocation(root, path.slice(0, depth));
    // Nothing of the path exists: the opening brace, not the whole file.
    if (node === root) return { offset: root.offset, length: 1 };
    if (node) {
      // A whole object or array spans many lines: point at its key instead when it has one.
      if ((node.type === 'object' || node.type === 'array') && node.parent?.type === 'property' && node.parent.children) {
        const key = node.parent.children[0];
        return { offset: key.offset, length: key.length };
      }
      return { offset: node.offset, length: node.length };
    }
  }
  return undefined;
}

/** The key of the first top-level property among `keys` that exists: where the CodeLens over the layers sits. */
export function keySpan(root: Node | undefined, keys: string[]): TextSpan | undefined {
  if (!root || root.type !== 'object') return undefined;
  for (const wanted of keys) {
    for (const property of root.children ?? []) {
      const key = property.children?.[0];
      if (key && key.value === wanted) return { offset: key.offset, length: key.length };
    }
  }
  return undefined;
}
