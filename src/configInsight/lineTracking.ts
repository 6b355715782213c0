// Keeps the last good hints on their layers' lines while the user types (and the JSON may not parse): every text
// change moves the remembered line numbers the way the editor moves the text. Pure, for unit tests.

/** One content change, in the line numbers of the text it applies to. */
export interface LineChange {
  /** First and last (0-based) line of the replaced range. */
  startLine: number;
  endLine: number;
  /** Line breaks in the inserted text. */
  insertedLineBreaks: number;
}

/** Where a line ends up after a change; lines inside a replaced range collapse to its first line. */
export function shiftLine(line: number, change: LineChange): number {
  if (line <= change.startLine) return line;
  if (line > change.endLine) return line + change.insertedLineBreaks - (change.endLine - change.startLine);
  return change.startLine;
}

/** Apply changes in the order VS Code reports them (each relative to the text left by the previous ones). */
export function shiftLines(lines: Map<number, number>, changes: readonly LineChange[]): Map<number, number> {
  const shifted = new Map<number, number>();
  for (const [key, line] of lines) {
    let current = line;
    for (const change of changes) current = shiftLine(current, change);
    shifted.set(key, current);
  }
  return shifted;
}

export function countLineBreaks(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) count++;
  return count;
}
