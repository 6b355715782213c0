// Every runtime string the extension shows, found in the sources: the first argument of each `l10n.t(…)` call in
// src/ (the host; the core has none) and every entry of the core's message catalogues (src/core/**: `…MESSAGES`),
// which the host translates with l10n.t on the way to the editor. Shared by the unit test that fails on a string
// without a translation and by `node scripts/l10n-strings.mjs --write`, which rewrites l10n/bundle.l10n.json (the
// English bundle) and lists what bundle.l10n.<lang>.json lacks.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
export const l10nDir = path.join(repoRoot, 'l10n');

function sourceFiles(dir) {
  const found = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...sourceFiles(p));
    else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) found.push(p);
  }
  return found;
}

const isL10nT = callee => ts.isPropertyAccessExpression(callee) && callee.name.text === 't' &&
  ((ts.isIdentifier(callee.expression) && callee.expression.text === 'l10n') ||
    (ts.isPropertyAccessExpression(callee.expression) && callee.expression.name.text === 'l10n'));

/**
 * The messages of every `l10n.t` call under src/, and the calls whose message is not a plain string literal (a
 * template or a variable cannot be looked up in a bundle: those are errors).
 * @returns {{ strings: Map<string, string[]>, problems: string[] }} message -> where it is used
 */
export function collectCallStrings(root = path.join(repoRoot, 'src')) {
  const strings = new Map();
  const problems = [];
  for (const file of sourceFiles(root)) {
    const text = fs.readFileSync(file, 'utf8');
    if (!text.includes('l10n.t(')) continue;
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const visit = node => {
      if (ts.isCallExpression(node) && isL10nT(node.expression)) {
        const where = `${path.relative(repoRoot, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
        const first = node.arguments[0];
        if (first && (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first))) {
          strings.set(first.text, [...(strings.get(first.text) ?? []), where]);
        } else if (!(where.startsWith('src/shared/localize.ts') && isCatalogueLookup(first))) {
          problems.push(`${where}: l10n.t's message must be a string literal (found ${first ? first.getText(source) : 'nothing'})`);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return { strings, problems };
}

/** `l10n.t(template, …)` where the template comes from the core catalogue (checked through the catalogue). */
function isCatalogueLookup(node) {
  return node !== undefined && ts.isIdentifier(node) && node.text === 'template';
}

/**
 * The core catalogue's English templates: every `const …MESSAGES = { id: 'text', … }` in src/core (messages.ts joins
 * them into CORE_MESSAGES; the config, data and activation catalogues live beside their code).
 */
export function collectCatalogueStrings(root = path.join(repoRoot, 'src', 'core')) {
  const strings = new Map();
  if (!fs.existsSync(root)) return strings;
  const files = fs.statSync(root).isDirectory() ? sourceFiles(root) : [root];
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    if (!/MESSAGES\b/.test(text)) continue;
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const where = path.relative(repoRoot, file);
    const visit = node => {
      if (ts.isVariableDeclaration(node) && /MESSAGES$/.test(node.name.getText(source))) {
        let init = node.initializer;
        while (init && (ts.isAsExpression(init) || ts.isSatisfiesExpression?.(init))) init = init.expression;
        if (init && ts.isObjectLiteralExpression(init)) {
          for (const prop of init.properties) {
            if (!ts.isPropertyAssignment(prop)) continue;
            const value = prop.initializer;
            if (ts.isStringLiteral(value) || ts.isNoSubstitutionTemplateLiteral(value)) {
              strings.set(value.text, [...(strings.get(value.text) ?? []), `${where}#${prop.name.getText(source)}`]);
            }
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return strings;
}

/** Every runtime string: the l10n.t calls' and the catalogue's. */
export function collectRuntimeStrings() {
  const { strings, problems } = collectCallStrings();
  for (const [text, where] of collectCatalogueStrings()) strings.set(text, [...(strings.get(text) ?? []), ...where]);
  return { strings, problems };
}

export function readBundle(lang) {
  const file = path.join(l10nDir, lang ? `bundle.l10n.${lang}.json` : 'bundle.l10n.json');
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
}

/** The `{0}`/`{name}` placeholders of a message, sorted: a translation must keep the same ones. */
export function placeholders(message) {
  return [...message.matchAll(/\{([A-Za-z0-9_]+)\}/g)].map(m => m[1]).sort();
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const { strings, problems } = collectRuntimeStrings();
  for (const p of problems) console.error(p);
  const english = Object.fromEntries([...strings.keys()].sort().map(k => [k, k]));
  if (process.argv.includes('--write')) fs.writeFileSync(path.join(l10nDir, 'bundle.l10n.json'), JSON.stringify(english, null, 2) + '\n');
  for (const file of fs.readdirSync(l10nDir).filter(f => /^bundle\.l10n\.[\w-]+\.json$/.test(f))) {
    const lang = file.slice('bundle.l10n.'.length, -'.json'.length);
    const bundle = readBundle(lang);
    const missing = Object.keys(english).filter(k => !(k in bundle));
    const stale = Object.keys(bundle).filter(k => !(k in english));
    console.log(`${file}: ${Object.keys(bundle).length} entries, ${missing.length} missing, ${stale.length} stale`);
    for (const k of missing) console.log(`  missing: ${JSON.stringify(k)}  (${strings.get(k).join(', ')})`);
    for (const k of stale) console.log(`  stale: ${JSON.stringify(k)}`);
  }
  console.log(`${strings.size} runtime strings`);
  process.exit(problems.length ? 1 : 0);
}
