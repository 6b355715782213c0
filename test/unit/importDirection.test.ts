// The house's import rules (ARCHITECTURE.md), checked on every relative import and package import in src/ and
// webview/: imports only point down (core ← protocol ← shared ← features ← extension.ts / cli), no feature
// reaches into another feature's folder, and there are no cycles.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

const ROOT = path.resolve(__dirname, '../..');
/** Feature folders: the same name under src/ (host) and webview/ (page). */
const FEATURES = ['visualize', 'compareActivations', 'compareNetworks', 'universalApproximation', 'configInsight', 'activationHover', 'learn', 'pytorchRuns'];

interface Import { specifier: string; target?: string; typeOnly: boolean }

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap(entry => {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(rel);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [rel] : [];
  });
}

function resolve(from: string, specifier: string): string | undefined {
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  return [`${base}.ts`, `${base}/index.ts`, base].find(c => fs.existsSync(path.join(ROOT, c)) && fs.statSync(path.join(ROOT, c)).isFile());
}

function importsOf(file: string): Import[] {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: Import[] = [];
  const add = (specifier: string, typeOnly: boolean) => {
    found.push({ specifier, typeOnly, target: specifier.startsWith('.') ? resolve(file, specifier) : undefined });
  };
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      let typeOnly = ts.isImportDeclaration(node) ? Boolean(node.importClause?.isTypeOnly) : node.isTypeOnly;
      if (ts.isImportDeclaration(node) && !typeOnly && node.importClause && !node.importClause.name) {
        const bindings = node.importClause.namedBindings;
        typeOnly = Boolean(bindings && ts.isNamedImports(bindings) && bindings.elements.length > 0 && bindings.elements.every(e => e.isTypeOnly));
      }
      add(node.moduleSpecifier.text, typeOnly);
    } else if (ts.isCallExpression(node) && node.arguments.length === 1 && ts.isStringLiteral(node.arguments[0])
      && (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require'))) {
      add(node.arguments[0].text, false);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      add(node.argument.literal.text, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The room a file lives in: core, protocol, hostShared, webviewShared, extension, cli, or a feature's name. */
function roomOf(file: string): string {
  if (file.startsWith('src/core/')) return 'core';
  if (file === 'src/protocol.ts') return 'protocol';
  if (file === 'src/extension.ts') return 'extension';
  if (file.startsWith('src/shared/')) return 'hostShared';
  if (file.startsWith('webview/shared/')) return 'webviewShared';
  if (file.startsWith('src/cli/')) return 'cli';
  const [side, folder] = file.split('/');
  if ((side === 'src' || side === 'webview') && FEATURES.includes(folder)) return folder;
  return `unplaced:${file}`;
}

/** Which rooms each room may import from (its own room always). */
function mayImport(from: string, to: string): boolean {
  if (from === to) return true;
  switch (from) {
    case 'core': return false;
    case 'protocol': return to === 'core';
    case 'hostShared': return to === 'core' || to === 'protocol';
    case 'webviewShared': return to === 'core' || to === 'protocol';
    // and the host's shared localization, which activate() loads before any feature builds a string
    // The front door also reaches the rooms below the features (deactivate's worker shutdown, the test seam).
    case 'extension': return FEATURES.includes(to) || to === 'hostShared';
    // The CLI is the second front door, beside extension.ts: it may use features' vscode-free modules.
    case 'cli': return to !== 'extension' && to !== 'webviewShared';
    // A watched PyTorch run is drawn by the Visualize page: its host uses that page's vscode-free modules
    // (panelHtml, report, snapshotTable), as the CLI does (ARCHITECTURE.md).
    case 'pytorchRuns': return ['core', 'protocol', 'hostShared', 'webviewShared', 'visualize'].includes(to);
    default: return ['core', 'protocol', 'hostShared', 'webviewShared'].includes(to);
  }
}

const files = [...sourceFiles('src'), ...sourceFiles('webview')];
const graph = new Map(files.map(file => [file, importsOf(file)]));

describe('the house: import directions', () => {
  it('places every source file in a room', () => {
    assert.deepEqual(files.filter(f => roomOf(f).startsWith('unplaced:')), []);
  });

  it('resolves every relative import', () => {
    const unresolved = files.flatMap(f => graph.get(f)!.filter(i => i.specifier.startsWith('.') && !i.target).map(i => `${f} → ${i.specifier}`));
    assert.deepEqual(unresolved, []);
  });

  it('keeps the core free of vscode and of anything outside src/core', () => {
    const bad = files.filter(f => roomOf(f) === 'core').flatMap(f => graph.get(f)!
      .filter(i => i.specifier === 'vscode' || (i.target !== undefined && roomOf(i.target) !== 'core'))
      .map(i => `${f} → ${i.specifier}`));
    assert.deepEqual(bad, []);
  });

  it('lets protocol.ts import only types, and only from the core', () => {
    const bad = graph.get('src/protocol.ts')!.filter(i => !i.typeOnly || !i.target || roomOf(i.target) !== 'core').map(i => i.specifier);
    assert.deepEqual(bad, []);
  });

  it('points every import down: no feature imports another feature\'s folder', () => {
    const bad = files.flatMap(f => graph.get(f)!.filter(i => i.target && !mayImport(roomOf(f), roomOf(i.target)))
      .map(i => `${f} (${roomOf(f)}) → ${i.target} (${roomOf(i.target!)})`));
    assert.deepEqual(bad, []);
  });

  it('keeps vscode out of webviews, workers, the CLI and everything they load', () => {
    const entries = files.filter(f => f.startsWith('webview/') || f.startsWith('src/cli/') || /Worker\.ts$/.test(f));
    const bad: string[] = [];
    for (const entry of entries) {
      const seen = new Set<string>();
      const stack = [entry];
      while (stack.length > 0) {
        const file = stack.pop()!;
        if (seen.has(file)) continue;
        seen.add(file);
        for (const i of graph.get(file) ?? []) {
          if (i.specifier === 'vscode' && !i.typeOnly) bad.push(`${entry} loads vscode through ${file}`);
          if (i.target && !i.typeOnly) stack.push(i.target);
        }
      }
    }
    assert.deepEqual(bad, []);
  });

  it('has no import cycles', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'active' | 'done'>();
    const trail: string[] = [];
    const walk = (file: string): void => {
      state.set(file, 'active');
      trail.push(file);
      for (const i of graph.get(file) ?? []) {
        if (!i.target || !graph.has(i.target)) continue;
        if (state.get(i.target) === 'active') cycles.push([...trail.slice(trail.indexOf(i.target)), i.target].join(' → '));
        else if (!state.has(i.target)) walk(i.target);
      }
      trail.pop();
      state.set(file, 'done');
    };
    for (const file of files) if (!state.has(file)) walk(file);
    assert.deepEqual(cycles, []);
  });
});
