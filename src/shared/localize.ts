// The core's messages in the display language: the catalogue's English template is the l10n bundle key
// (ARCHITECTURE.md, "Languages"). Pure (no vscode): it uses @vscode/l10n, which activate() loads with the same
// bundle as vscode.l10n (configureL10n), so modules unit-tested in plain Node localize too and read English there.
import * as l10n from '@vscode/l10n';
import { catalogueIdOf, coreText, formatCoreText, type CoreText } from '../core/messages';

export function localizeCore(text: CoreText): string {
  return formatCoreText(text, (template, args) => l10n.t(template, args));
}

/** A piece of text the core gives either as plain text (numbers, names) or as a message. */
export function localizeArg(value: string | CoreText): string {
  return typeof value === 'string' ? value : localizeCore(value);
}

/** A table field that is a catalogue entry's English (an activation's summary or note) in the display language. */
export function localizeCatalogued(english: string): string {
  const id = catalogueIdOf(english);
  return id ? localizeCore(coreText(id)) : english;
}

/** A message the core gave as data when it could, else its English string. */
export function localizeCoreOr(text: CoreText | undefined, english: string): string {
  return text ? localizeCore(text) : english;
}

/** Gives @vscode/l10n the bundle VS Code loaded for this extension (undefined in English: nothing to do). */
export function configureL10n(bundle: Record<string, string> | undefined): void {
  if (bundle) l10n.config({ contents: bundle });
}
