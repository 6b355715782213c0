// The core's message catalogue (src/core/messages.ts and the feature catalogues it joins): every id has English and
// Korean text with the same placeholders, @vscode/l10n's formatter fills every placeholder of both, and the messages
// the config parser, the data readers, the trainer and the activation table produce come out in Korean when the
// Korean bundle is loaded (as activate() loads it), numbers and names unchanged.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import { ACTIVATIONS, activationNames } from '../../../src/core/activations/activations';
import { findActivationAt } from '../../../src/core/activations/activationRecognizer';
import { buildHoverMarkdown } from '../../../src/activationHover/hoverMarkdown';
import { parseConfig } from '../../../src/core/config/config';
import { parseModelFile } from '../../../src/core/config/modelFile';
import { parseDatasetText, readDatasetFile } from '../../../src/core/data/datasetFile';
import { isInputError } from '../../../src/core/inputError';
import { CORE_CATALOGUES, CORE_MESSAGES, catalogueIdOf, formatCoreText, type CoreMessageId } from '../../../src/core/messages';
import { Trainer } from '../../../src/core/nn/trainer';
import { divergenceWarning } from '../../../src/core/analysis/probeWarnings';
import { BUILTIN_DATASETS, BUILTIN_DATASET_NAMES, generateBuiltinDataset } from '../../../src/core/data/builtinDatasets';
import { prepareData } from '../../../src/core/data/prepare';
import { layerHintText } from '../../../src/configInsight/layerHints';
import { analyzeConfig } from '../../../src/configInsight/configAnalysis';
import { localizeCatalogued, localizeCore, localizeCoreOr } from '../../../src/shared/localize';
import { NETWORK_PRESETS } from '../../../src/core/config/presets';
import type { LayerProbe } from '../../../src/core/types';
import { HANGUL, inKorean, koreanBundle } from './inKorean';

const korean = koreanBundle;
const placeholders = (text: string) => [...text.matchAll(/\{([A-Za-z0-9_]+)\}/g)].map(m => m[1]).sort();


describe('core message catalogue', () => {
  it('no id is defined in two catalogues, and CORE_MESSAGES holds them all', () => {
    const ids = Object.values(CORE_CATALOGUES).flatMap(c => Object.keys(c));
    assert.equal(new Set(ids).size, ids.length, 'an id is given twice');
    assert.deepEqual(ids.sort(), Object.keys(CORE_MESSAGES).sort());
    assert.ok(ids.length > 200, `only ${ids.length} ids`);
  });

  it('every id has English and Korean text with the same placeholders, and the Korean is Korean', () => {
    const problems: string[] = [];
    for (const [id, english] of Object.entries(CORE_MESSAGES)) {
      if (english.trim() === '') { problems.push(`${id}: empty English`); continue; }
      const ko = korean[english];
      if (ko === undefined) { problems.push(`${id}: no Korean`); continue; }
      if (placeholders(ko).join() !== placeholders(english).join()) problems.push(`${id}: placeholders ${placeholders(ko)} vs ${placeholders(english)}`);
      // a message with words in it is translated (pure formulas and joins such as "{message} ({place})" excepted)
      if (/[a-z]{3}/.test(english.replace(/\{\w+\}/g, '')) && !HANGUL.test(ko)) problems.push(`${id}: not Korean: ${ko}`);
    }
    assert.deepEqual(problems, []);
  });

  it('@vscode/l10n fills every placeholder of every template, in English and in Korean', () => {
    const problems: string[] = [];
    for (const lang of ['en', 'ko']) {
      l10n.config({ contents: lang === 'ko' ? korean : {} });
      try {
        for (const [id, english] of Object.entries(CORE_MESSAGES)) {
          const names = placeholders(english);
          if (names.length === 0) continue;
          const args = Object.fromEntries(names.map(n => [n, `<${n}>`]));
          const out = l10n.t(english, args);
          for (const n of names) if (!out.includes(`<${n}>`) || out.includes(`{${n}}`)) problems.push(`${lang} ${id}: {${n}} not filled in ${JSON.stringify(out)}`);
        }
      } finally {
        l10n.config({ contents: {} });
      }
    }
    assert.deepEqual(problems, []);
  });

  it('config diagnostics: English as the CLI prints it, Korean through l10n with names and numbers kept', () => {
    const text = '{ "data": { "builtin": "spirl" }, "hidden": [32, 0], "optimizer": "adm", "lr": 5, "epochs": 1.5, "batchNorm": [1] }';
    const result = parseConfig(text, '/tmp/x.nn.json');
    const english = result.errors.map(e => e.message);
    assert.deepEqual(english, [
      `unknown built-in dataset 'spirl' — did you mean 'spiral'? (built-in: ${BUILTIN_DATASET_NAMES.join(', ')})`,
      'layer 2 has 0 units — a layer needs at least 1',
      "unknown optimizer 'adm' — did you mean 'adam'? (allowed: sgd, momentum, adam, adamw)",
      'epochs must be a whole number, not 1.5',
      'batchNorm must be true, false, "before" or "after" (the activation), not a list',
    ]);
    for (const e of result.errors) assert.equal(formatCoreText(e.text), e.message);
    const ko = inKorean(() => result.errors.map(e => localizeCore(e.text)));
    assert.deepEqual(ko, [
      `알 수 없는 내장 데이터셋 'spirl' — 'spiral'을(를) 쓰려던 것인가요? (내장 데이터셋: ${BUILTIN_DATASET_NAMES.join(', ')})`,
      '2번째 층의 유닛이 0개입니다 — 층에는 유닛이 1개 이상 있어야 합니다',
      "알 수 없는 옵티마이저(optimizer) 'adm' — 'adam'을(를) 쓰려던 것인가요? (쓸 수 있는 값: sgd, momentum, adam, adamw)",
      'epochs은(는) 정수여야 합니다. 1.5은(는) 쓸 수 없습니다',
      'batchNorm은 true, false, "before" 또는 "after"(활성화 함수 기준)여야 합니다. 리스트은(는) 쓸 수 없습니다',
    ]);
    // a JSON syntax error and a range with both bounds are nested messages, translated at every level
    const syntax = parseConfig('{ "hidden": [32 32] }', '/tmp/x.nn.json', { dataOptional: true }).errors[0];
    assert.equal(syntax.message, "JSON syntax: expected ',' between entries");
    assert.equal(inKorean(() => localizeCore(syntax.text)), "JSON 문법 오류: 항목 사이에 ','가 있어야 합니다");
    const range = parseConfig('{ "hidden": [4], "dropout": 1 }', '/tmp/x.nn.json', { dataOptional: true }).errors[0];
    assert.equal(range.message, 'dropout is 1: it must be ≥ 0 and < 1');
    assert.equal(inKorean(() => localizeCore(range.text)), 'dropout이(가) 1입니다: ≥ 0이고 < 1이어야 합니다');
  });

  it("the editor's own config hints (learning rate, residual widths) are catalogue messages too", () => {
    const analysis = analyzeConfig('{ "data": { "builtin": "circle" }, "hidden": [8], "optimizer": { "type": "adam", "lr": 0.5 } }', '/tmp/x.nn.json');
    const lr = analysis.issues.find(i => i.severity === 'information');
    assert.ok(lr?.text, JSON.stringify(analysis.issues));
    assert.equal(lr.message, 'lr 0.5 is large for adam (usually 1e-5 … 0.05): expect the loss to jump or diverge; the live probe shows whether it does.');
    assert.equal(inKorean(() => localizeCoreOr(lr.text, lr.message)), 'adam에 lr 0.5은(는) 큽니다(보통 1e-5 … 0.05): 손실이 튀거나 발산할 수 있습니다. 실제로 그런지는 실시간 점검이 보여 줍니다.');
  });

  it("an optimizer named '__proto__' is an unknown name, not a crash (fuzz seed 20789)", () => {
    const result = parseConfig('{ "data": { "builtin": "circle" }, "optimizer": "__proto__", "layers": [{ "type": "__proto__" }, { "type": "linear" }] }', '/tmp/x.nn.json');
    assert.deepEqual(result.errors.map(e => e.message).sort(), [
      "unknown module type '__proto__' (module types: linear, activation, batchnorm, dropout, residual, repeat, or an activation name)",
      "unknown optimizer '__proto__' (allowed: sgd, momentum, adam, adamw)",
    ]);
  });

  it('every preset\'s and built-in dataset\'s description reads in Korean through the catalogue (the quick picks)', () => {
    const english = [...NETWORK_PRESETS.map(p => p.description), ...BUILTIN_DATASETS.map(b => b.description)];
    assert.equal(english.length, 18);
    const shown = inKorean(() => english.map(text => localizeCatalogued(text)));
    assert.deepEqual(english.filter((text, i) => shown[i] === text || !HANGUL.test(shown[i])), []);
    assert.equal(shown[0], 'Xavier 초기화를 쓴 32유닛 sigmoid 층 10개: σ′ ≤ 1/4이라 층마다 기울기가 줄어들어 앞쪽 층은 거의 학습하지 못합니다 (기울기 소실, vanishing gradient).');
    assert.equal(localizeCatalogued(english[0]), english[0]);
  });

  it('model file errors are catalogue messages: the CLI keeps its English, the host reads Korean, names unchanged', () => {
    const errorOf = (model: unknown) => {
      try {
        parseModelFile(JSON.stringify(model), 'net.model.json');
      } catch (error) {
        assert.ok(isInputError(error));
        return error;
      }
      assert.fail('the model was read');
    };
    const rows = errorOf({ format: 'gradscope-model', version: 1, inputs: 2, layers: [{ type: 'linear', weight: [[1, 2], 3] }] });
    assert.equal(rows.message, 'weight row 1 must have 2 columns, the width coming into this layer (got number)');
    assert.equal(inKorean(() => localizeCoreOr(rows.text, rows.message)), 'weight의 1번 행에는 이 층으로 들어오는 폭만큼 열이 2개 있어야 합니다 (받은 값: 숫자)');
    const act = errorOf({ format: 'gradscope-model', version: 1, inputs: 2, layers: [{ type: 'linear', weight: [[1, 2]] }, { type: 'activation', name: 'rellu' }] });
    assert.equal(act.message, "unknown activation \"rellu\" — did you mean 'relu'?");
    assert.equal(inKorean(() => localizeCoreOr(act.text, act.message)), "알 수 없는 활성화 함수 \"rellu\" — 'relu'을(를) 쓰려던 것인가요?");
    assert.deepEqual([act.location?.line, act.location?.column], [1, 125]);
  });

  it('JSON kinds and value types inside data errors are words of the display language, not English', () => {
    const errorOf = (text: string, name: string) => {
      try {
        parseDatasetText(text, name);
      } catch (error) {
        assert.ok(isInputError(error));
        return error;
      }
      assert.fail(`${name} was read`);
    };
    const mixed = errorOf('[0,0]\n{"a":0}\n', 'mixed.jsonl');
    assert.equal(mixed.message, 'this line holds an object but line 1 held an array: every line must have the same shape');
    assert.equal(inKorean(() => localizeCoreOr(mixed.text, mixed.message)), '이 줄은 객체인데 1번째 줄은 배열 모양이었습니다: 모든 줄의 모양이 같아야 합니다');
    const numbers = errorOf('[1, 2, 3]', 'numbers.json');
    assert.equal(numbers.message, 'numbers.json must hold an array of objects or of arrays (found an array of number)');
    assert.equal(inKorean(() => localizeCoreOr(numbers.text, numbers.message)), 'numbers.json에는 객체의 배열이나 배열의 배열이 있어야 합니다(숫자의 배열이 있음)');
    const flags = errorOf('[true, false]', 'flags.json');
    assert.equal(inKorean(() => localizeCoreOr(flags.text, flags.message)), 'flags.json에는 객체의 배열이나 배열의 배열이 있어야 합니다(참/거짓 값(boolean)의 배열이 있음)');
    const nulls = errorOf('[null, null]', 'nulls.json');
    assert.equal(nulls.message, 'nulls.json must hold an array of objects or of arrays (found an array of nulls)');
    assert.equal(inKorean(() => localizeCoreOr(nulls.text, nulls.message)), 'nulls.json에는 객체의 배열이나 배열의 배열이 있어야 합니다(null 값의 배열이 있음)');
  });

  it('data errors carry their message as data: a CSV cell that is not a number, with its line, in Korean', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gradscope-catalogue-'));
    try {
      const file = path.join(dir, 'data.csv');
      fs.writeFileSync(file, 'x,y\n1,2\n3,4\n5,6\n1,5;\n');
      fs.writeFileSync(path.join(dir, 'comma.tsv'), 'x\ty\n1\t2\n3\t4\n1,5\t6\n');
      const errorOf = async (name: string, options = {}) => {
        try {
          await readDatasetFile(path.join(dir, name), options);
        } catch (error) {
          assert.ok(isInputError(error));
          return error;
        }
        assert.fail(`${name} was read`);
      };
      const cell = await errorOf('comma.tsv');
      assert.equal(cell.message, "column 'x' (1): '1,5' is not a number (a decimal comma? numbers are read with '.' as the decimal point)");
      assert.deepEqual([cell.location?.line, cell.location?.column], [4, 1]);
      assert.equal(inKorean(() => localizeCoreOr(cell.text, cell.message)), "'x' 열(1번째): '1,5'은(는) 숫자가 아닙니다 (소수점으로 쉼표를 썼나요? 숫자는 '.'를 소수점으로 읽습니다)");
      const column = await errorOf('data.csv', { target: 'z' });
      assert.equal(column.message, "target column 'z' is not in data.csv — did you mean 'x'? (columns: 'x', 'y')");
      assert.equal(inKorean(() => localizeCoreOr(column.text, column.message)), "목표(target) 열 'z'이(가) data.csv에 없습니다 — 'x'을(를) 쓰려던 것인가요? (열: 'x', 'y')");
      const missing = await errorOf('dta.csv');
      assert.equal(missing.message, "cannot open data file " + path.join(dir, 'dta.csv') + ": no such file — did you mean '" + path.join(dir, 'data.csv') + "'?");
      assert.equal(inKorean(() => localizeCoreOr(missing.text, missing.message)),
        `데이터 파일 ${path.join(dir, 'dta.csv')}을(를) 열 수 없습니다: 그런 파일이 없습니다 — '${path.join(dir, 'data.csv')}'을(를) 쓰려던 것인가요?`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the notes about a dataset (skipped rows, the split) are messages index for index, Korean through l10n', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gradscope-catalogue-'));
    try {
      fs.writeFileSync(path.join(dir, 'gap.csv'), 'x,y\n1,0.5\n,3.5\n4,5.5\n6,7.5\n8,9.5\n2,1.5\n3,2.5\n5,4.5\n7,6.5\n');
      const dataset = await readDatasetFile(path.join(dir, 'gap.csv'));
      const data = prepareData(dataset, { validation: 0.25, normalize: true, seed: 1 });
      assert.deepEqual(data.notes, ["1 row skipped for missing values (first at line 3, column 'x')", '6 training rows, 2 validation rows, inputs standardised']);
      assert.equal(data.noteTexts?.length, data.notes.length);
      assert.deepEqual(inKorean(() => data.noteTexts!.map(t => (typeof t === 'string' ? t : localizeCore(t)))),
        ["빠진 값이 있어 1개 행을 건너뛰었습니다(처음은 3번째 줄, 'x' 열)", '학습 6행, 검증 2행, 입력 표준화(standardisation) 적용']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the trainer's divergence reason is a message: the warning reads in Korean to its end", () => {
    const dataset = generateBuiltinDataset('sine', { samples: 64, seed: 1 });
    const data = prepareData(dataset, { validation: 0, normalize: true, seed: 1 });
    const trainer = new Trainer({
      network: { inputs: data.d, layers: [{ type: 'linear', units: 16 }, { type: 'activation', name: 'relu' }, { type: 'linear', units: 1 }] },
      loss: 'mse', optimizer: { type: 'sgd', lr: 1e6 }, batchSize: 16, epochs: 10, seed: 1,
    }, data);
    for (let i = 0; i < 200 && !trainer.diverged; i++) trainer.stepBatch();
    const info = trainer.diverged;
    assert.ok(info?.text, 'diverged');
    assert.equal(formatCoreText(info.text), info.message);
    assert.match(info.message, /^diverged at epoch \d+, step \d+: the (loss became (NaN|Infinity)|gradient became infinite|weights overflowed)\. Try: lower the learning rate \(now 1000000\) or set clipNorm to clip the gradient; batch normalization also helps\.$/);
    const warning = divergenceWarning(info, 1e6);
    const ko = inKorean(() => localizeCoreOr(warning.text, warning.message));
    assert.match(ko, /^설정한 학습률\(learning rate\) 1e6에서 학습이 발산했습니다: 에폭 \d+, 단계 \d+에서 발산했습니다: .*학습률\(learning rate\)을 낮추거나\(지금 1000000\) clipNorm을 설정해/);
    assert.doesNotMatch(ko, /Try|lower the/);
  });

  it('every word of the activation table the hover shows is a catalogue entry, and the hover reads Korean', () => {
    const missing: string[] = [];
    for (const name of activationNames()) {
      const info = ACTIVATIONS[name];
      for (const text of [info.summary, ...info.notes, info.maxSlope.where]) {
        if (/[a-z]{3}/.test(text.replace(/\b(min|max|tanh|softplus|exp|ln)\b/g, '')) && catalogueIdOf(text) === undefined) missing.push(`${name}: ${text}`);
      }
    }
    assert.deepEqual(missing, []);
    const code = 'net = nn.Sequential(nn.Linear(2, 8), nn.Sigmoid())';
    const ref = findActivationAt(code, code.indexOf('nn.Sigmoid') + 1, { languageId: 'python' });
    assert.ok(ref);
    const english = buildHoverMarkdown(ref, 'dark');
    assert.ok(english.includes('Squashes to (0, 1); its slope is at most 1/4'));
    const ko = inKorean(() => buildHoverMarkdown(ref, 'dark'));
    assert.ok(ko.includes('값을 (0, 1) 범위로 압축합니다. 기울기가 많아야 1/4이므로'), ko.slice(0, 600));
    assert.ok(ko.includes('x < −4.36, x > 4.36'), 'numbers unchanged');
    const relu = findActivationAt('nn.ReLU()', 2, { languageId: 'python' });
    assert.ok(relu);
    assert.ok(inKorean(() => buildHoverMarkdown(relu, 'dark')).includes('*PyTorch는 꺾이는 점 x = 0에서의 도함수를 왼쪽에서 가져옵니다.*'));
    const id: CoreMessageId | undefined = catalogueIdOf(ACTIVATIONS.relu.summary);
    assert.equal(id, 'act.relu.summary');
  });

  it('the per-layer hint in Korean: the split factors and numbers unchanged, the words translated', () => {
    const layer = {
      index: 3, units: 32, activation: 'sigmoid', gradNorm: 3.1e-6, saturation: 0.91, inactive: 0, dead: 0, lowSlopeKind: 'saturated',
      backward: { gain: 0.19, activationFactor: 0.21, weightFactor: 0.9, weightSpectralNorm: 1.2, maxSlope: 0.25, cumulativeGain: 1e-3, cumulativeActivationFactor: 1e-4, activationBound: 1e-5 },
    } as unknown as LayerProbe;
    assert.equal(layerHintText(layer, 1 / 2400, false), '∇ 3.1e-6 (1/2400 of output) · σ′ 0.21 × W 0.9 · sat 91%');
    assert.equal(inKorean(() => layerHintText(layer, 1 / 2400, false)), '∇ 3.1e-6 (출력층의 1/2400) · σ′ 0.21 × W 0.9 · 포화 91%');
  });
});
