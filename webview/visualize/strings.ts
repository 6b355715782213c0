// The page's words, as the host wrote them into the page in the display language (src/visualize/panelStrings.ts):
// read once, before the layout is built. `format` fills the `{0}`-style placeholders.
import type { PanelStrings } from '../../src/protocol';

function readStrings(): PanelStrings {
  const block = document.getElementById('gradscope-strings');
  if (block?.textContent) return JSON.parse(block.textContent) as PanelStrings;
  // A page without the block is a bug in the host; keys at least say which word is missing.
  return new Proxy({} as PanelStrings, { get: (_target, key) => String(key) });
}

export const S: PanelStrings = readStrings();

export function format(template: string, ...args: (string | number)[]): string {
  return template.replace(/\{(\d+)\}/g, (whole, index: string) => (Number(index) < args.length ? String(args[Number(index)]) : whole));
}
