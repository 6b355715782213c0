// A watched PyTorch run in Korean: the reader's issues (the run page's error banner and notes), the warnings named
// by module and the NaN warning carry their message as data, and the page's notes (runMetaOf, as the host sends them)
// read in Korean with the Korean bundle loaded, while the CLI's English (runNotes, issue.message) is unchanged.
import { strict as assert } from 'node:assert';
import { RunLogParser } from '../../../src/core/runs/runLog';
import { runNoteTexts, runNotes, runWarnings, SPLIT_NOTE } from '../../../src/core/runs/runAnalysis';
import { runMetaOf } from '../../../src/pytorchRuns/runRecording';
import { localizeArg, localizeCoreOr } from '../../../src/shared/localize';
import { HANGUL, inKorean } from './inKorean';

const meta = (modules: unknown[], format = 1) => JSON.stringify({ type: 'meta', format, name: 'm', model: 'MLP', modules }) + '\n';
const linear = (name: string, out: number, inp: number) => ({ name, type: 'Linear', params: [{ name: 'weight', shape: [out, inp] }, { name: 'bias', shape: [out] }] });
const sigmoid = (name: string) => ({ name, type: 'Sigmoid', params: [], activation: { name: 'sigmoid', params: {}, maxSlope: 0.25, threshold: 0.0125, split: 0 } });
function snap(step: number, norms: (number | null)[], names: string[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ type: 'snapshot', step, loss: 1 / (step + 1), ...extra, layers: names.map((name, i) => ({ name, type: 'Linear', gradNorm: norms[i], biasGradNorm: 0.1, weightNorm: 1, updateRatio: null, gradMeanAbs: 0, gradMaxAbs: 0, ...(norms[i] === null ? { nonFinite: { gradNorm: 'NaN' } } : {}) })), activations: [] }) + '\n';
}

describe('a PyTorch run in Korean', () => {
  it('a file that is not a run: the banner\'s issue in Korean, the English as before', () => {
    const parser = new RunLogParser();
    parser.feed(Buffer.from('a,b,c\n' + snap(0, [1], ['0'])));
    const [notJson] = parser.state.issues;
    const snapshotFirst = new RunLogParser();
    snapshotFirst.feed(Buffer.from(snap(0, [1], ['0'])));
    const [beforeMeta] = snapshotFirst.state.issues;
    assert.equal(notJson.text?.id, 'runs.notJson');
    assert.match(notJson.message, /^line 1 is not JSON \(.+\): this is not a gradscope run log$/);
    const korean = inKorean(() => localizeCoreOr(notJson.text, notJson.message));
    // V8's own words about the JSON stay as they are; the sentence around them is Korean
    assert.match(korean, /^1번째 줄은 JSON이 아닙니다 \(.+\): gradscope 실행 로그가 아닙니다$/);
    assert.equal(beforeMeta.message, 'line 1: a snapshot before any meta record: this is not a gradscope run log (it starts with {"type":"meta",…})');
    assert.equal(inKorean(() => localizeCoreOr(beforeMeta.text, beforeMeta.message)),
      '1번째 줄: meta 기록보다 스냅숏이 먼저 나옵니다: gradscope 실행 로그가 아닙니다 (실행 로그는 {"type":"meta",…}로 시작합니다)');
  });

  it('the notes of a run: a skipped line, a newer format, the warning by module, the NaN warning, the missing split', () => {
    const parser = new RunLogParser();
    parser.feed(Buffer.from(meta([linear('enc.0', 4, 4), sigmoid('enc.1'), linear('enc.2', 4, 4), sigmoid('enc.3'), linear('head', 1, 4)], 2)
      + snap(0, [1e-5, 0.5, 1], ['enc.0', 'enc.2', 'head']) + '{"type":"checkpoint"}\n' + '[1,2]\n'
      + snap(1, [1e-5, null, 1], ['enc.0', 'enc.2', 'head'], { finite: false })));
    const warnings = runWarnings(parser.state);
    const vanishing = warnings.find(w => w.kind === 'vanishing')!;
    assert.match(vanishing.message, /^Vanishing gradient at step 1: module enc\.0 \(4 sigmoid\) has ‖∂L\/∂W‖ = 1e-5/);
    const nan = warnings.find(w => w.kind === 'nan')!;
    assert.equal(nan.message, 'Non-finite values: module enc.2 logged gradNorm = NaN first at step 1: training has diverged there (lower the learning rate, clip the gradient norm).');
    const english = runNotes(parser.state, warnings);
    assert.ok(english.includes(SPLIT_NOTE));
    assert.ok(english.some(n => n.startsWith('line 1: written by a newer gradscope (format 2); this extension reads format 1')), english.join('\n'));
    assert.ok(english.includes('line 3: unknown record type "checkpoint" (a newer gradscope?): skipped'));
    assert.ok(english.includes('line 4 is not a gradscope record (no "type"): skipped'));
    assert.ok(english.includes(`⚠ ${vanishing.message}`));
    // every note is a message, none is plain English
    const texts = runNoteTexts(parser.state, warnings);
    assert.equal(texts.length, english.length);
    assert.deepEqual(texts.filter(t => typeof t === 'string'), []);
    const korean = inKorean(() => texts.map(localizeArg));
    for (const note of korean) assert.ok(HANGUL.test(note), note);
    assert.ok(korean.some(n => /^⚠ 기울기 소실\(vanishing gradient\), 단계 1에서: 모듈 enc\.0\(4개 sigmoid\)의 ‖∂L\/∂W‖ = 1e-5/.test(n)), korean.join('\n'));
    assert.ok(korean.includes('⚠ 유한하지 않은 값(non-finite value): 모듈 enc.2에서 단계 1에 처음으로 gradNorm = NaN이(가) 기록되었습니다: 그 지점에서 학습이 발산했습니다(학습률(learning rate)을 낮추거나 기울기 노름을 자르세요(gradient clipping)).'), korean.join('\n'));
    assert.ok(korean.includes('3번째 줄: 알 수 없는 기록 종류 "checkpoint" (더 새로운 gradscope인가요?): 건너뜁니다'));
    // the page's notes, as the host sends them: the meta line and the notes, in Korean
    const pageNotes = inKorean(() => runMetaOf(parser.state, '/runs/m.jsonl').notes);
    assert.equal(pageNotes.length, english.length + 1);
    assert.deepEqual(pageNotes.slice(1), korean);
    // and in English where nothing configured l10n (the CLI's `gradscope view`, its HTML report)
    assert.deepEqual(runMetaOf(parser.state, '/runs/m.jsonl').notes.slice(1), english);
  });

  it('the note for gradients read after zero_grad(), in Korean', () => {
    const parser = new RunLogParser();
    parser.feed(Buffer.from(meta([linear('fc1', 4, 4), linear('fc2', 1, 4)]) + snap(7, [0, 0], ['fc1', 'fc2'])));
    const texts = runNoteTexts(parser.state, runWarnings(parser.state));
    const note = texts.find(t => typeof t !== 'string' && t.id === 'runs.noGradients');
    assert.ok(note !== undefined);
    assert.equal(inKorean(() => localizeArg(note)),
      '단계 7에서 모든 모듈의 기울기가 없거나 0입니다: optimizer.zero_grad() 뒤에 부르면 w.step()은 이미 지워진 기울기를 읽습니다. loss.backward()와 zero_grad() 사이에 부르세요');
  });

  it('the headline says how the run was measured: every N steps, or paced to a share of the time', () => {
    const headline = (extra: Record<string, unknown>) => {
      const parser = new RunLogParser();
      parser.feed(Buffer.from(JSON.stringify({ type: 'meta', format: 1, name: 'm', model: 'MLP', device: 'cpu', torch: '1.13.0', every: 10, modules: [linear('0', 2, 2)], ...extra }) + '\n'));
      assert.deepEqual(parser.state.issues, []);
      return [runMetaOf(parser.state, '/runs/m.jsonl').notes[0], inKorean(() => runMetaOf(parser.state, '/runs/m.jsonl').notes[0])];
    };
    assert.deepEqual(headline({}), ['MLP on cpu · torch 1.13.0 · every 10 steps', 'MLP, cpu에서 · torch 1.13.0 · 10단계마다']);
    assert.deepEqual(headline({ maxOverhead: 0.05, script: 'train.py' }), [
      'MLP on cpu · torch 1.13.0 · every 10+ steps, paced to 5 % overhead · train.py',
      'MLP, cpu에서 · torch 1.13.0 · 10단계 이상마다, 오버헤드 5%에 맞춤 · train.py']);
  });
});
