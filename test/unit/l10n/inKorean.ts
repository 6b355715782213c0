// Test helper: run code with the Korean runtime bundle loaded into @vscode/l10n, as VS Code does for a Korean display
// language, then go back to English.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';

export const koreanBundle = JSON.parse(
  fs.readFileSync(path.resolve(__dirname, '..', '..', '..', 'l10n', 'bundle.l10n.ko.json'), 'utf8'),
) as Record<string, string>;

export const HANGUL = /[\uac00-\ud7a3]/;

export function inKorean<T>(body: () => T): T {
  l10n.config({ contents: koreanBundle });
  try {
    return body();
  } finally {
    l10n.config({ contents: {} });
  }
}
