// No English sentence is written into the extension's host code or its pages outside the l10n mechanism: every
// string literal (and every literal part of a template) with two English words in a row, in src/ outside the core
// and the CLI (the core has coreErrors.test.ts; the CLI stays English) and in webview/, is inside an l10n.t / t(…) /
// format(…) call, a log line, a thrown bug guard or a class name, or is excused below with its reason. A new
// `panel.title = \`Loss Landscape: ${…}\`` or `textContent: 'Bump 1: …'` fails here before it reaches a Korean user.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const TWO_WORDS = /[A-Za-z]{2,}[,:;.]? +[A-Za-z]{2,}/;
/** Markup's tags and their attributes (partial ones at a literal's ends too) are not words; its text is. */
const withoutMarkup = (literal: string) => literal.replace(/<[^<>]*>/g, ' ').replace(/^[^<>]*>/, ' ').replace(/<[^<>]*$/, ' ');

/** Calls whose string arguments are not shown as they are: translated, logged, or a bug's message. */
const SKIPPED_CALLS = /(^|\.)(t|format|appendLine|log|logLine|error|warn|coreText|localize\w*|registerTestCommand|onCheckedMessage|receiveValidated|querySelector\w*|getElementById|addEventListener|postMessage|fail)$/;
const SKIPPED_CONSTRUCTORS = /^(Error|RangeError|TypeError|InputError|CoreError|RegExp)$/;
/** Properties and attributes that hold markup names, not words. */
const SKIPPED_PROPERTIES = /^(className|id|type|role|kind|font|fontFamily|command|viewType)$/;

/** Literals with words that stay as they are, by file and the start of the literal, and why. */
const EXCUSED: { file: string; starts: string; why: string }[] = [
  { file: 'src/shared/webviewMessages.ts', starts: '', why: 'a malformed page message is dropped and logged (webviewBoundary.ts), never shown' },
  { file: 'src/visualize/panelHtml.ts', starts: ' data: blob:', why: 'the Content-Security-Policy' },
  { file: 'src/visualize/report.ts', starts: 'document.body.className', why: 'the report\'s inline script' },
  { file: 'src/visualize/report.ts', starts: 'system-ui', why: 'a font list' },
  { file: 'src/visualize/report.ts', starts: 'Menlo', why: 'a font list' },
  { file: 'src/pytorchRuns/registerPytorchRuns.ts', starts: 'Gradscope', why: 'names: an Output channel\'s and a terminal\'s' },
  { file: 'src/pytorchRuns/registerPytorchRuns.ts', starts: ' -m pip install', why: 'a shell command' },
  { file: 'src/pytorchRuns/registerPytorchRuns.ts', starts: 'import gradscope', why: 'Python code' },
  { file: 'src/pytorchRuns/registerPytorchRuns.ts', starts: 'w = gradscope.watch', why: 'Python code (its comment is l10n.t)' },
  ...['{0} ({1} train / {2} validation rows', 'without skip connections', 'with skip connections'].map(starts => ({
    file: 'src/compareNetworks/networksWorker.ts', starts, why: 'the worker\'s English defaults: the host sends the words in the display language (dataLabelTemplate, landscapeStart\'s words)',
  })),
  { file: 'src/configInsight/probeWorker.ts', starts: 'live probe: a seeded sample of', why: 'a note the probe keeps internal (never shown)' },
  { file: '', starts: 'the panel was closed', why: 'a command\'s result for its caller (tests, the walkthrough), not shown' },
  { file: 'src/compareNetworks/networksPanel.ts', starts: 'cancelled before the grid began', why: 'whenLoaded()\'s result for the command\'s caller' },
  { file: 'src/compareNetworks/networksPanel.ts', starts: 'stopped before the networks loaded', why: 'whenLoaded()\'s result for the command\'s caller' },
  { file: '', starts: 'universal approximation', why: 'a worker role id; describeDeath names it in the display language (workerRoleName)' },
  { file: 'src/visualize/visualizePanel.ts', starts: ' on built-in', why: 'describeSource: the Output channel\'s log line' },
  { file: 'src/visualize/visualizePanel.ts', starts: ' with preset', why: 'describeSource: the Output channel\'s log line' },
];

interface Found { file: string; line: number; literal: string }

function sourceFiles(dir: string, skip: (p: string) => boolean): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => {
    const p = path.join(dir, e.name);
    if (skip(p)) return [];
    return e.isDirectory() ? sourceFiles(p, skip) : /\.ts$/.test(e.name) && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** The literal texts with two words in a row that are shown as written, in `code` (one file). */
export function wordsWrittenOut(code: string, file = 'x.ts'): Found[] {
  const source = ts.createSourceFile(file, code, ts.ScriptTarget.Latest, true);
  const found: Found[] = [];
  const report = (node: ts.Node, literal: string) => {
    if (TWO_WORDS.test(withoutMarkup(literal))) found.push({ file, line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1, literal });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) return;
    if (ts.isCallExpression(node) && SKIPPED_CALLS.test(node.expression.getText(source))) return;
    // setAttribute('class', …) names markup; setAttribute('aria-label', …) is read out, so it is checked
    if (ts.isCallExpression(node) && /setAttribute$/.test(node.expression.getText(source)) && ts.isStringLiteral(node.arguments[0]) && SKIPPED_PROPERTIES.test(node.arguments[0].text === 'class' ? 'className' : node.arguments[0].text)) return;
    if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && SKIPPED_CONSTRUCTORS.test(node.expression.text)) return;
    if (ts.isPropertyAssignment(node) && SKIPPED_PROPERTIES.test(node.name.getText(source))) return;
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(node.left) && SKIPPED_PROPERTIES.test(node.left.name.text)) return;
    // a `case 'x':` label, a literal type or a key reads a value, it does not show one (what they hold is checked)
    if (ts.isLiteralTypeNode(node)) return;
    if (ts.isCaseClause(node)) { node.statements.forEach(visit); return; }
    if (ts.isElementAccessExpression(node)) { visit(node.expression); return; }
    // a comparison with a literal reads a value, it does not show one
    if (ts.isBinaryExpression(node) && /^(===|!==|==|!=)$/.test(node.operatorToken.getText(source))) return;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) report(node, node.text);
    if (ts.isTemplateExpression(node)) {
      report(node, node.head.text);
      for (const span of node.templateSpans) report(span.literal, span.literal.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('no English words written into the host or the pages', () => {
  it('every literal with words in src/ (core and CLI aside) and webview/ goes through l10n, or is excused', () => {
    const files = [
      ...sourceFiles(path.join(ROOT, 'src'), p => /[\\/]src[\\/](core|cli)$/.test(p) || /Strings\.ts$/.test(p)),
      ...sourceFiles(path.join(ROOT, 'webview'), () => false),
    ];
    assert.ok(files.length > 60, `only ${files.length} files`);
    const all = files.flatMap(f => wordsWrittenOut(fs.readFileSync(f, 'utf8'), path.relative(ROOT, f).split(path.sep).join('/')));
    const excuse = (f: Found) => EXCUSED.find(e => f.file.includes(e.file) && f.literal.startsWith(e.starts));
    assert.deepEqual(all.filter(f => !excuse(f)).map(f => `${f.file}:${f.line}: ${JSON.stringify(f.literal)}`), []);
    const unused = EXCUSED.filter(e => !all.some(f => f.file.includes(e.file) && f.literal.startsWith(e.starts)));
    assert.deepEqual(unused.map(e => `${e.file} ${e.starts}`), [], 'excuses that excuse nothing');
  });

  it('the scan: a title, a caption or a message written out is found; the same through l10n.t or t() is not', () => {
    const literals = (code: string) => wordsWrittenOut(code).map(f => f.literal);
    assert.deepEqual(literals('panel.title = `Loss Landscape: ${label}`;'), ['Loss Landscape: ']);
    assert.deepEqual(literals("element('div', { textContent: 'Bump 1: output weights' });"), ['Bump 1: output weights']);
    assert.deepEqual(literals("void vscode.window.showErrorMessage('could not save the chart');"), ['could not save the chart']);
    assert.deepEqual(literals("panel.title = vscode.l10n.t('Loss Landscape: {0}', label);"), []);
    assert.deepEqual(literals("element('div', { textContent: t('bumpWeights', 1), className: 'banner banner-error' });"), []);
    assert.deepEqual(literals("output.appendLine(`run ${id}: worker stopped`); throw new Error('unknown message type');"), []);
  });
});
