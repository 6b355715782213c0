// Every page's words come from the host, in the display language: the host builds one table per page
// (src/<feature>/*Strings.ts, with l10n.t) and embeds it in the page as a JSON data block (src/shared/webviewPage.ts
// stringsBlock), read once here before the page is built; translate.ts's `t(key, …args)` fills the placeholders.
export { format, translator, type Translate } from './translate';

/** A missing block is a bug in the host; the keys at least say which word is missing. */
export function readPageStrings<T extends object>(): T {
  const block = document.getElementById('gradscope-strings');
  if (block?.textContent) return JSON.parse(block.textContent) as T;
  return new Proxy({} as T, { get: (_target, key) => String(key) });
}
