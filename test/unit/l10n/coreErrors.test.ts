// The core's refusals reach the user in the display language: every error the core (and the feature workers, which
// run without the l10n bundle) throws with words in it is a catalogue message (CoreError / InputError with a
// coreText), unless it is listed below as a bug guard or as the CLI's own (the CLI stays English). A new English
// `throw new Error('…')` in the core fails the scan; the refusals themselves read in Korean through the host's
// localizeCore, also after crossing a pool thread.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { loadChoices } from '../../../src/compareNetworks/networksWorker';
import { landscapeAxis } from '../../../src/core/analysis/landscape';
import { CoreError, errorText, isCoreText } from '../../../src/core/coreError';
import { presetConfigText } from '../../../src/core/config/presets';
import { InputError } from '../../../src/core/inputError';
import { coreText, formatCoreText } from '../../../src/core/messages';
import { Optimizer } from '../../../src/core/nn/optimizers';
import { Network, SpecError } from '../../../src/core/nn/network';
import { WorkerPool } from '../../../src/core/parallel/pool';
import { Trainer } from '../../../src/core/nn/trainer';
import type { PreparedData, TrainSpec } from '../../../src/core/types';
import { localizeCore } from '../../../src/shared/localize';
import { buildPoolWorker } from '../../../scripts/lib/poolWorkerBuild.mjs';
import { HANGUL, inKorean } from './inKorean';

const ROOT = path.resolve(__dirname, '..', '..', '..');

/**
 * Errors with English words that may stay English, by file and the start of their message: bugs the types or an
 * earlier check rule out (a host shows them inside a translated sentence, "Gradscope worker error: …"), and the CLI's.
 */
const ENGLISH_ALLOWED: { file: string; starts: string; why: string }[] = [
  ...['unexpected value', 'unexpected fix', 'unexpected stage', 'unknown initialisation', 'unknown pool message', 'unknown pool task']
    .map(starts => ({ file: '', starts, why: 'an exhaustiveness check over a union type (assertNever)' })),
  ...['unexpected message', 'unknown message', 'Unexpected message', 'unknown control']
    .map(starts => ({ file: 'Worker.ts', starts, why: 'a message the typed protocol rules out' })),
  ...['parameter numbering out of order', 'cannot export'].map(starts => ({ file: 'src/core/nn/network.ts', starts, why: 'the network\'s own bookkeeping' })),
  { file: 'src/core/analysis/uat.ts', starts: '', why: 'guards: the page\'s sliders and the CLI\'s option parser give whole numbers ≥ 1, and the hand-built net is always Linear · Sigmoid · Linear' },
  { file: 'src/core/config/runLoading.ts', starts: 'loadRun: a preset request needs presetConfigText', why: 'a caller\'s bug' },
  { file: 'src/core/data/csv.ts', starts: 'delimiter must be one character', why: 'sniffed delimiters are one character; only an API caller can pass another' },
  { file: 'src/core/io/atomicWrite.ts', starts: '${what} ${file}:', why: 'checkOutputPath checks the CLI\'s --save/--report (the CLI stays English)' },
  { file: 'src/core/parallel/', starts: '', why: 'the pool\'s own bugs (a missing bundle, a worker index out of range, a task returning the wrong kind); a pool worker\'s refusal crosses as its catalogue message (pool.ts: CoreError)' },
];

/** Every `new Error(…)`, `new InputError(…)` … in the core and the feature workers, with its first argument. */
function thrownMessages(): { file: string; kind: string; argument: ts.Expression | undefined; text: string }[] {
  const found: { file: string; kind: string; argument: ts.Expression | undefined; text: string }[] = [];
  const walk = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : /\.ts$/.test(e.name) && !e.name.endsWith('.d.ts') ? [p] : [];
  });
  const src = path.join(ROOT, 'src');
  const workers = fs.readdirSync(src, { withFileTypes: true }).filter(d => d.isDirectory() && d.name !== 'core')
    .flatMap(d => fs.readdirSync(path.join(src, d.name)).filter(f => /Worker\.ts$/.test(f)).map(f => path.join(src, d.name, f)));
  for (const file of [...walk(path.join(src, 'core')), ...workers]) {
    const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && /^(Error|RangeError|TypeError|SpecError|InputError|CoreError)$/.test(node.expression.text)) {
        const argument = node.arguments?.[0];
        found.push({ file: path.relative(ROOT, file).split(path.sep).join('/'), kind: node.expression.text, argument, text: argument ? argument.getText(source) : '' });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

/** A message written out in English in the code: a string, a template or a string concatenation. */
function isWrittenText(node: ts.Expression | undefined): boolean {
  if (node === undefined) return false;
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node)) return true;
  if (ts.isConditionalExpression(node)) return isWrittenText(node.whenTrue) || isWrittenText(node.whenFalse);
  return ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken && (isWrittenText(node.left) || isWrittenText(node.right));
}

const words = (text: string) => text.replace(/^[`'"]/, '');

function data(d: number, task: PreparedData['task'], rows = 8): PreparedData {
  const x = Float64Array.from({ length: rows * d }, (_, i) => (i % 7) / 7);
  const y = Float64Array.from({ length: rows }, (_, i) => i % 2);
  const empty = { n: 0, x: new Float64Array(0), y: new Float64Array(0) };
  return {
    task, d, outputs: 1, inputNames: Array.from({ length: d }, (_, i) => `x${i}`), targetName: 'y', classes: task === 'regression' ? undefined : ['0', '1'],
    train: { n: rows, x, y }, val: empty, mean: new Float64Array(d), std: new Float64Array(d).fill(1), notes: [],
  };
}

const spec = (inputs: number, outputs: number, loss: TrainSpec['loss']): TrainSpec => ({
  network: { inputs, layers: [{ type: 'linear', units: 4 }, { type: 'activation', name: 'tanh' }, { type: 'linear', units: outputs }] },
  loss, optimizer: { type: 'sgd', lr: 0.1 }, batchSize: 4, epochs: 1, seed: 1,
});

/** The error `body` throws, which must carry a catalogue message. */
function refusal(body: () => unknown): CoreError | InputError | SpecError {
  try {
    body();
  } catch (error) {
    assert.ok(error instanceof CoreError || error instanceof InputError || error instanceof SpecError, `not a catalogue error: ${String(error)}`);
    assert.ok(isCoreText(error.text), `${error.message}: no text`);
    return error;
  }
  return assert.fail('nothing was thrown');
}

describe('core refusals are catalogue messages', function () {
  this.timeout(120_000);

  it('no error with English words in the core or a feature worker, except the listed bug guards and the CLI\'s', () => {
    const thrown = thrownMessages();
    assert.ok(thrown.length > 50, `only ${thrown.length} throws found`);
    const allowed = (t: { file: string; text: string }) => ENGLISH_ALLOWED.find(a => t.file.includes(a.file) && words(t.text).startsWith(a.starts));
    const english = thrown.filter(t => (t.kind === 'InputError' || t.kind === 'CoreError' ? isWrittenText(t.argument) : isWrittenText(t.argument) || t.text === '') && !allowed(t));
    assert.deepEqual(english.map(t => `${t.file}: new ${t.kind}(${t.text})`), []);
    // the list stays honest: every entry still excuses something
    const unused = ENGLISH_ALLOWED.filter(a => !thrown.some(t => t.file.includes(a.file) && words(t.text).startsWith(a.starts) && isWrittenText(t.argument)));
    assert.deepEqual(unused.map(a => `${a.file} ${a.starts}`), [], 'entries of ENGLISH_ALLOWED that excuse nothing');
    // a CoreError is always given a message as data
    for (const t of thrown.filter(t => t.kind === 'CoreError')) assert.ok(!isWrittenText(t.argument), `${t.file}: ${t.text}`);
  });

  it('the scan sees a new English error: a written message is caught, a catalogue one is not', () => {
    const parse = (code: string) => {
      const source = ts.createSourceFile('x.ts', code, ts.ScriptTarget.Latest, true);
      const statement = source.statements[0] as ts.ThrowStatement;
      return (statement.expression as ts.NewExpression).arguments?.[0];
    };
    assert.equal(isWrittenText(parse("throw new Error('the network is too wide');")), true);
    assert.equal(isWrittenText(parse('throw new Error(`got ${n}`);')), true);
    assert.equal(isWrittenText(parse("throw new InputError(a ? 'x' : coreText('y'));")), true);
    assert.equal(isWrittenText(parse("throw new InputError('line ' + n);")), true);
    assert.equal(isWrittenText(parse("throw new CoreError(coreText('train.emptySplit'));")), false);
  });

  it('the trainer\'s refusals: the English as before, the id, and Korean through the host', () => {
    const cases: { body: () => unknown; id: string; english: string; korean: RegExp }[] = [
      { body: () => new Trainer(spec(2, 1, 'mse'), data(2, 'binary')), id: 'train.mseNeedsRegression', english: 'mse expects a regression target; this is a binary task (use bce)', korean: /^mse는 회귀\(regression\) 목표.*binary 과제.*bce/ },
      { body: () => new Trainer(spec(2, 3, 'bce'), data(2, 'binary')), id: 'train.bceOneOutput', english: 'bce needs 1 output (one logit), the network has 3', korean: /출력은 3개입니다$/ },
      { body: () => new Trainer(spec(3, 1, 'mse'), data(2, 'regression')), id: 'train.inputsMismatch', english: 'the network takes 3 inputs, the data has 2', korean: /^이 신경망은 입력 3개를 받는데, 데이터의 입력은 2개입니다$/ },
      { body: () => new Trainer(spec(2, 1, 'mse'), data(2, 'regression', 0)), id: 'train.emptySplit', english: 'the training split is empty', korean: /^학습 데이터\(training split\)가 비어 있습니다$/ },
      { body: () => new Trainer(spec(2, 1, 'cross_entropy'), data(2, 'regression')), id: 'train.ceNeedsClasses', english: 'cross_entropy expects class labels; this is a regression task (use mse)', korean: /클래스 레이블/ },
      { body: () => new Trainer(spec(2, 1, 'mse'), data(2, 'regression')).setLearningRate(0), id: 'worker.lrNotPositive', english: 'learning rate must be a positive number, got 0', korean: /^학습률\(learning rate\)은 양수여야 합니다\. 받은 값: 0$/ },
      { body: () => new Trainer(spec(2, 1, 'mse'), data(2, 'regression')).setBatchSize(1.5), id: 'worker.batchSizeNotPositive', english: 'batch size must be a positive integer, got 1.5', korean: /받은 값: 1\.5$/ },
      { body: () => new Optimizer({ type: 'sgd', lr: 0.1, nesterov: true }, new Network(spec(2, 1, 'mse').network, 1).parameters), id: 'train.nesterovMomentum', english: 'Nesterov momentum requires a momentum above 0', korean: /^네스테로프 모멘텀/ },
      { body: () => landscapeAxis(1, 1), id: 'landscape.gridSize', english: 'grid size must be a whole number ≥ 2, got 1', korean: /^격자 크기\(grid size\)는 2 이상의 정수여야 합니다\. 받은 값: 1$/ },
      { body: () => landscapeAxis(5, -1), id: 'landscape.range', english: 'range must be a positive number, got -1', korean: /받은 값: -1$/ },
      { body: () => new Network({ inputs: 2, layers: [{ type: 'linear', units: 0 }] }, 1), id: 'spec.at', english: 'layers[0]: units must be a positive integer', korean: /^layers\[0\]: units는 양의 정수여야 합니다$/ },
      { body: () => new Network(spec(2, 1, 'mse').network, 1).importParams([]), id: 'spec.at', english: 'layers: expected 3 layers, got 0', korean: /^layers: 층\(layer\) 3개가 필요한데 받은 것은 0입니다$/ },
      { body: () => presetConfigText('deep-sigmod', {}), id: 'preset.unknown', english: "unknown preset 'deep-sigmod' (presets: ", korean: /'deep-sigmod'/ },
    ];
    for (const c of cases) {
      const error = refusal(c.body);
      assert.equal(error.text!.id, c.id);
      assert.ok(error.message.startsWith(c.english), `${error.message} ≠ ${c.english}`);
      const korean = inKorean(() => localizeCore(error.text!));
      assert.match(korean, c.korean);
      assert.ok(HANGUL.test(korean), korean);
    }
  });

  it('a {reason} is the error\'s catalogue message when it has one, its English when it is a bug', () => {
    const refused = refusal(() => new Trainer(spec(3, 1, 'mse'), data(2, 'regression')));
    const wrapped = coreText('worker.cannotStartRun', { reason: errorText(refused) });
    assert.equal(formatCoreText(wrapped), 'Gradscope could not start this run: the network takes 3 inputs, the data has 2');
    assert.equal(inKorean(() => localizeCore(wrapped)), 'Gradscope가 이 학습을 시작하지 못했습니다: 이 신경망은 입력 3개를 받는데, 데이터의 입력은 2개입니다');
    assert.equal(errorText(new Error('boom')), 'boom');
    assert.equal(errorText('plain'), 'plain');
    // a text that is not a catalogue message (a forged or stale id) is not trusted
    assert.equal(isCoreText({ id: 'no.such.id', args: {} }), false);
    assert.equal(errorText(Object.assign(new Error('odd'), { text: { id: 'no.such.id', args: {} } })), 'odd');
  });

  it('Compare Networks: "the first config\'s data" with no config is refused in the catalogue', async () => {
    const error = await loadChoices([{ kind: 'preset', preset: 'selu', label: 'p' }], { kind: 'config' }).then(() => assert.fail('accepted'), (e: unknown) => e);
    assert.ok(error instanceof CoreError);
    assert.equal(error.text.id, 'worker.networksNoConfig');
    assert.equal(errorText(error), error.text);
    assert.match(inKorean(() => localizeCore(error.text)), /^고른 설정 파일\(config\)이 없어서/);
  });

  it('a refusal inside a pool thread arrives as the same catalogue message, so it reads in Korean', async () => {
    const pool = new WorkerPool(1, await buildPoolWorker());
    try {
      const error = await pool.run({ kind: 'train', networks: [{ index: 0, spec: spec(3, 1, 'mse'), data: data(2, 'regression') }], sliceMs: 5, progressIntervalMs: 10, functionIntervalMs: 50 })
        .then(() => assert.fail('the pool trained a network that does not fit its data'), (e: unknown) => e);
      assert.ok(error instanceof CoreError, String(error));
      assert.equal(error.text.id, 'train.inputsMismatch');
      assert.equal(error.message, 'the network takes 3 inputs, the data has 2');
      assert.equal(inKorean(() => localizeCore(error.text)), '이 신경망은 입력 3개를 받는데, 데이터의 입력은 2개입니다');
    } finally {
      await pool.terminate();
    }
  });
});
