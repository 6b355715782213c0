// Every page in Korean: each page's table built by the host's *Strings() with the Korean bundle loaded into
// @vscode/l10n (as activate() does), embedded in the real page, the page driven with real messages; the page must
// show the Korean words and none of the English ones it was given a translation for. Two checks on the rendered text
// (visible text plus title, aria-label and aria-valuetext): no English template of the table (its fragments between
// placeholders) is left, and no English word is left beyond an allowlist (activation and method names, units, file
// formats) and the data's own names (network and dataset labels the user chose, the core's activation summaries).
import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as esbuild from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { configureL10n } from '../../src/shared/localize';
import { compareStrings } from '../../src/compareActivations/compareStrings';
import { networksStrings } from '../../src/compareNetworks/networksStrings';
import { uatStrings } from '../../src/universalApproximation/uatStrings';
import { panelStrings } from '../../src/visualize/panelStrings';
import { ACTIVATIONS, activationNames } from '../../src/core/activations/activations';
import { generateBuiltinDataset } from '../../src/core/data/builtinDatasets';
import { uatDataFromDataset } from '../../src/universalApproximation/uatData';
import { THEME_STAND_INS } from '../../src/visualize/report';
import { openSmallPanelPage } from './smallPanelPage';
import { launchBrowser, openPanel, pageErrors, ROOT, screenshot, send as sendToPanel, settle } from './harness';
import { syntheticRun } from './syntheticRuns';
import type { RecordedRun } from '../../src/protocol';
import type { ChartDescription } from '../../webview/visualize/main';
import { workerMessages } from './networksWorkerRun';

const HANGUL = /[\uac00-\ud7a3]/;

/** The tables in Korean, built through the same module instance the pages' tables are built with. */
const KOREAN_BUNDLE = JSON.parse(fs.readFileSync(path.join(ROOT, 'l10n', 'bundle.l10n.ko.json'), 'utf8')) as Record<string, string>;

function koreanTables() {
  configureL10n(KOREAN_BUNDLE);
  try {
    return { compare: compareStrings(), networks: networksStrings(), uat: uatStrings(), panel: panelStrings() };
  } finally {
    configureL10n({});
  }
}

/** Words that stay as they are in Korean text: names of activations, methods, people, units and formats. */
const ALLOWED = new Set([
  ...activationNames(), 'ReLU', 'PReLU', 'SELU', 'SERLU', 'GELU', 'ELU', 'Swish', 'sigmoid', 'tanh', 'hardtanh', 'softplus',
  'MSE', 'JSON', 'CSV', 'PNG', 'HTML', 'Adam', 'SGD', 'Nielsen', 'Li', 'al', 'Tab', 'Space', 'max', 'Gradscope', 'nn', 'json', 'exp',
  'clipNorm', 'optimizer', 'midpoint', 'BN',
  // people, models and code the activation summaries cite: LeCun initialisation, GPT/BERT's GELU, clamp(x, 0, 6)
  'LeCun', 'GPT', 'BERT', 'clamp',
  // the framework the parameter notes name (its argument names, e.g. negative_slope, are code and skipped below)
  'PyTorch', 'Flax', 'Keras',
].map(w => w.toLowerCase()));

/** Everything a person reads or hears on the page. */
async function pageText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const attributes = [...document.querySelectorAll('[title], [aria-label], [aria-valuetext]')]
      .flatMap(e => ['title', 'aria-label', 'aria-valuetext'].map(a => e.getAttribute(a) ?? ''));
    return [document.title, document.body.innerText, ...attributes].join('\n');
  });
}

/** English left on the page: templates of the table that have a Korean translation, and words off the allowlist. */
function englishLeft(text: string, english: object, korean: object, dataNames: string[]): { templates: string[]; words: string[] } {
  let rest = text;
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // Whole names only: a target called `y` must not cut "layers" in two.
  for (const name of [...dataNames].sort((a, b) => b.length - a.length)) {
    if (name) rest = rest.replace(new RegExp(`(?<![A-Za-z])${escape(name)}(?![A-Za-z])`, 'g'), ' ');
  }
  // The English term in parentheses after its Korean one, as a Korean teacher writes it at first use: 기울기 소실 (vanishing gradient)
  rest = rest.replace(/\(\s*[A-Za-z][A-Za-z \-]*\)/g, ' ');
  // Subscripts of formulas (δ_out, δ_{i+1}), not identifiers such as leaky_relu.
  rest = rest.replace(/(?<=[^A-Za-z_])_\{?[A-Za-z0-9+]+\}?/g, '');
  const en = english as Record<string, string>;
  const ko = korean as Record<string, string>;
  const templates: string[] = [];
  for (const key of Object.keys(en)) {
    if (typeof en[key] !== 'string' || en[key] === ko[key]) continue;
    for (const fragment of en[key].split(/\{\d+\}/).map(f => f.trim())) {
      // Only fragments that are words (not `·`, `×` or a formula the translation keeps).
      const words = fragment.match(/[A-Za-z]{3,}/g) ?? [];
      if (words.length === 0 || words.every(w => ALLOWED.has(w.toLowerCase())) || ko[key].includes(fragment)) continue;
      const pattern = new RegExp(`(^|[^A-Za-z])${escape(fragment)}($|[^A-Za-z])`);
      const found = pattern.exec(rest);
      if (found) templates.push(`${key}: “${fragment}” in “${rest.slice(Math.max(0, found.index - 30), found.index + fragment.length + 30).replace(/\s+/g, ' ')}”`);
    }
  }
  const words = [...new Set((rest.match(/[A-Za-z][A-Za-z_]{2,}/g) ?? []).filter(w => !ALLOWED.has(w.toLowerCase()) && !w.includes('_')))];
  return { templates, words };
}

async function send(page: Page, messages: unknown[]): Promise<void> {
  await page.evaluate(json => { for (const m of JSON.parse(json) as unknown[]) window.postMessage(m, '*'); }, JSON.stringify(messages));
  await page.evaluate(() => new Promise(r => setTimeout(() => requestAnimationFrame(() => requestAnimationFrame(r)), 50)));
}

describe('Every page in Korean (webview, headless chromium)', function () {
  this.timeout(240_000);
  let browser: Browser;
  let dir: string;
  const english = { compare: compareStrings(), networks: networksStrings(), uat: uatStrings(), panel: panelStrings() };
  const korean = koreanTables();

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gradscope-words-'));
    await Promise.all([
      esbuild.build({ entryPoints: [path.join(ROOT, 'src/compareNetworks/networksWorker.ts')], outfile: path.join(dir, 'networksWorker.js'), bundle: true, platform: 'node', format: 'cjs', target: 'node18', logLevel: 'warning', mainFields: ['module', 'main'] }),
      ...([['visualize', 'webview'], ['compareActivations', 'compare'], ['compareNetworks', 'compareNetworks'], ['universalApproximation', 'uat']] as const).map(([folder, bundle]) => esbuild.build({
        entryPoints: [path.join(ROOT, `webview/${folder}/main.ts`)], outfile: path.join(ROOT, `media/${bundle}.js`), bundle: true, sourcemap: true,
        platform: 'browser', format: 'iife', target: 'es2020', logLevel: 'warning',
      })),
    ]);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the tables are Korean: every entry of every page differs from English or is a formula', () => {
    for (const page of ['compare', 'networks', 'uat', 'panel'] as const) {
      const en = english[page] as Record<string, string>;
      const ko = korean[page] as Record<string, string>;
      assert.deepEqual(Object.keys(ko), Object.keys(en));
      const untranslated = Object.keys(en).filter(k => typeof en[k] === 'string' && /[A-Za-z]{3,}/.test(en[k].replace(/\{\d+\}/g, '')) && !HANGUL.test(ko[k]));
      assert.deepEqual(untranslated, [], `${page}: entries without Korean`);
    }
  });

  it('Compare Activations: heading, controls, captions and the slope table in Korean', async () => {
    const { page, problems } = await openSmallPanelPage(browser, {
      bundle: 'compare', strings: korean.compare, lang: 'ko', artifact: 'words-ko-compare', theme: 'dark',
      themeVariables: THEME_STAND_INS.dark, viewport: { width: 1100, height: 900 },
    });
    await send(page, [{ type: 'compareInit', state: { selected: ['sigmoid', 'relu', 'leaky_relu'], params: {}, depth: 12, showDerivatives: true } }]);
    await page.waitForSelector('#facts tbody tr');
    assert.equal(await page.textContent('h1'), '활성화 함수 비교');
    assert.equal(await page.textContent('#depth-caption'), 'n = 1…12개 층을 거듭 지난 기울기 기댓값 (로그 축)');
    assert.deepEqual(await page.$$eval('#facts thead th', ths => ths.map(th => th.textContent)), ['활성화 함수', '최대 기울기', 'E[f′(z)]', 'E[f′(z)]ⁿ, n = 12', '최대 기울기ⁿ, n = 12', '매개변수', '']);
    assert.equal(await page.getAttribute('#depth', 'aria-valuetext'), '층 12개');
    assert.equal(await page.getAttribute('html', 'lang'), 'ko');
    const text = await pageText(page);
    // The activations' summaries and slope places come from the core's table in Korean through the host's lookup.
    assert.equal(await page.getAttribute('label[for="pick-sigmoid"]', 'title'), korean.compare.activationWords[ACTIVATIONS.sigmoid.summary]);
    assert.ok(HANGUL.test(korean.compare.activationWords[ACTIVATIONS.sigmoid.summary]), korean.compare.activationWords[ACTIVATIONS.sigmoid.summary]);
    // The parameters' notes are the inputs' tooltips, in Korean too.
    assert.equal(await page.getAttribute('#param-leaky_relu-slope', 'title'), 'x < 0 쪽의 기울기(slope) (PyTorch의 negative_slope).');
    // Left as they are: what the core has no Korean for (formulas such as "−3 < x < 3"), activation names (their
    // labels, e.g. "Leaky ReLU") and parameter keys (`slope`).
    const untranslatedCore = Object.entries(korean.compare.activationWords).filter(([en, ko]) => en === ko).map(([en]) => en);
    const core = [...untranslatedCore, ...activationNames().flatMap(n => [ACTIVATIONS[n].label, ...Object.keys(ACTIVATIONS[n].defaults)])];
    assert.deepEqual(englishLeft(text, english.compare, korean.compare, core), { templates: [], words: [] });
    await screenshot(page, 'words-ko-compare');
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('Compare Networks: the compare view, its final table and the landscape view in Korean', async () => {
    const workerPath = path.join(dir, 'networksWorker.js');
    const compareRun = await workerMessages(workerPath, {
      // The words the host gives the worker (networksPanel), from the Korean bundle.
      dataLabelTemplate: KOREAN_BUNDLE['{0} ({1} train / {2} validation rows, seed {3})'],
      type: 'netsStart', jobId: 1, data: { kind: 'builtin', builtin: 'circle' }, seed: 1, epochs: 2, snapshotEvery: 5, threads: 1,
      choices: [{ kind: 'preset', preset: 'deep-sigmoid', label: 'Deep sigmoid' }, { kind: 'preset', preset: 'deep-relu-he', label: 'Deep ReLU' }],
    }, m => m.type === 'netsDone' || m.type === 'netsFailed');
    assert.ok(compareRun.some(m => m.type === 'netsDone'), JSON.stringify(compareRun.find(m => m.type === 'netsFailed')));
    const { page, problems } = await openSmallPanelPage(browser, {
      bundle: 'compareNetworks', strings: korean.networks, lang: 'ko', artifact: 'words-ko-networks', theme: 'light',
      themeVariables: THEME_STAND_INS.light, viewport: { width: 1300, height: 1000 },
    });
    await send(page, [{ type: 'netsMode', mode: 'compare', title: 'Deep sigmoid, Deep ReLU' }, ...compareRun]);
    assert.equal(await page.textContent('h1'), '신경망 비교: Deep sigmoid, Deep ReLU');
    assert.equal(await page.textContent('#status'), '완료: 모든 신경망이 같은 에폭 수만큼 학습했습니다.');
    const headers = await page.$$eval('#final thead th', ths => ths.map(th => th.textContent));
    assert.deepEqual(headers.slice(0, 6), ['신경망', '매개변수 수', '층 수', '단계', '학습 손실', '검증 손실']);
    assert.ok(headers.includes('평균 죽은 유닛 비율'), headers.join(' | '));
    const loaded = compareRun.find(m => m.type === 'netsLoaded');
    assert.equal(loaded?.type === 'netsLoaded' ? loaded.dataLabel : '', 'circle (학습 400행 / 검증 100행, 시드 1)');
    const dataNames = ['Deep sigmoid', 'Deep ReLU', 'circle'];
    assert.deepEqual(englishLeft(await pageText(page), english.networks, korean.networks, dataNames), { templates: [], words: [] });
    await screenshot(page, 'words-ko-networks');

    const landscapeRun = await workerMessages(workerPath, {
      type: 'landscapeStart', jobId: 2, choice: { kind: 'preset', preset: 'deep-tanh', label: 'Deep tanh' }, data: { kind: 'builtin', builtin: 'circle' },
      request: { grid: 9, range: 1, seed: 0, steps: 20, maxRows: 100, skipOnOff: true }, threads: 1,
      words: { withoutSkip: KOREAN_BUNDLE['without skip connections'], withSkip: KOREAN_BUNDLE['with skip connections'], titled: KOREAN_BUNDLE['{0} — {1} steps'] },
    }, m => m.type === 'landscapeEnd' || m.type === 'landscapeFailed');
    assert.ok(landscapeRun.some(m => m.type === 'landscapeEnd'), JSON.stringify(landscapeRun.find(m => m.type === 'landscapeFailed')));
    await send(page, [{ type: 'netsMode', mode: 'landscape', title: 'Deep tanh' }, ...landscapeRun]);
    assert.equal(await page.textContent('h1'), '손실 지형 (loss landscape): Deep tanh');
    assert.match(await page.textContent('#status') ?? '', /^[\d.]+초 만에 완료했습니다\.$/);
    assert.match(await page.textContent('.figure-note') ?? '', /^θ에서 손실 [\d.e-]+; 최저 .+; 행 9\/9; 학습 데이터 \d+행; 시드 0/);
    assert.match(await page.textContent('h1') ?? '', /^손실 지형/);
    const views = landscapeRun.flatMap(m => (m.type === 'landscapeEnd' ? m.views.map(v => v.title) : []));
    assert.deepEqual(views, ['스킵 연결 없음 — 20단계', '스킵 연결 있음 — 20단계']);
    assert.deepEqual(await page.$$eval('.landscape figcaption', fs => fs.map(f => f.textContent)), views);
    assert.deepEqual(englishLeft(await pageText(page), english.networks, korean.networks, ['Deep tanh']), { templates: [], words: [] });
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('Universal Approximation: one input (bumps, training) and two inputs (towers) in Korean', async () => {
    const { page, problems } = await openSmallPanelPage(browser, {
      bundle: 'uat', strings: korean.uat, lang: 'ko', artifact: 'words-ko-uat', theme: 'dark',
      themeVariables: THEME_STAND_INS.dark, viewport: { width: 1200, height: 900 },
    });
    const nielsen = uatDataFromDataset(generateBuiltinDataset('nielsen', { samples: 300, seed: 0 }), 'nielsen (built-in)', 'nielsen');
    await send(page, [{ type: 'uatData', source: { kind: 'builtin', builtin: 'nielsen' }, data: nielsen }]);
    await page.waitForSelector('#main-canvas');
    await send(page, [{ type: 'uatTrainState', start: 'random', running: true }]);
    assert.equal(await page.textContent('h1'), '보편 근사');
    assert.equal(await page.textContent('#train-random'), '멈춤');
    assert.equal(await page.textContent('#train-status li'), '무작위에서 시작한 경사 하강법: 시작하는 중… (학습 중)');
    assert.match(await page.getAttribute('.handles button', 'aria-label') ?? '', /^돌기 1의 왼쪽 계단, s = /);
    // a focused handle shows its bump's weights, with the formula's caption
    await page.focus('.handles button');
    assert.equal(await page.textContent('#weights .muted'), '돌기 1: σ(w·x + b), b = −w·s; 출력 가중치 +h, −h');
    assert.deepEqual(englishLeft(await pageText(page), english.uat, korean.uat, ['nielsen (built-in)']), { templates: [], words: [] });
    await screenshot(page, 'words-ko-uat');

    const towers = uatDataFromDataset(generateBuiltinDataset('multi-gauss', { samples: 300, seed: 0 }), 'multi-gauss (built-in)', 'multi-gauss');
    await send(page, [{ type: 'uatData', source: { kind: 'builtin', builtin: 'multi-gauss' }, data: towers }]);
    await page.waitForSelector('#heatmap');
    assert.match(await page.textContent('#unit-count') ?? '', /^탑 \d+개 · 층 2 → 계단 \d+개 → 탑 \d+개 → 1$/);
    const names = ['multi-gauss (built-in)', ...towers.inputNames, towers.targetName];
    assert.deepEqual(englishLeft(await pageText(page), english.uat, korean.uat, names), { templates: [], words: [] });
    assert.deepEqual(problems, []);
    await page.close();
  });
  it('Visualize Network: the gradient card and its sentence, the history slider, the crash banner, the flat note, the charts in Korean', async () => {
    const run = syntheticRun({ inputs: 1, hiddenLayers: 6, units: 16, activation: 'sigmoid', task: 'regression', frames: 30, overfitFrom: 0.6 });
    const runMessage = (r: RecordedRun) => ({ type: 'run' as const, runId: 1, meta: r.meta, sourceLabel: r.sourceLabel, frames: [] });
    const page = await openPanel(browser, 'dark', { strings: korean.panel });
    await sendToPanel(page, runMessage(run), { type: 'state', runId: 1, state: 'running' }, { type: 'frames', runId: 1, frames: run.frames });
    assert.equal(await page.textContent('#title-gradient'), '기울기를 어디서 잃는가');
    assert.match(await page.textContent('#caption-gradient') ?? '', /^\d+번 층은 받은 기울기의 [\d.]+ ?%만 넘겨줍니다: σ′ 평균 [\d.]+ \(최대 ¼\), 가중치 통과 [\d.]+\.$/);
    assert.match(await page.textContent('#status') ?? '', /^에폭 \d+\/\d+ · 단계 \d+ · 손실 /);
    assert.match(await page.textContent('#replay-label') ?? '', /^에폭 \d+ · 단계 \d+ \(일시 정지하면 되돌아볼 수 있습니다\)$/);
    // Paused, the slider looks back; Play returns to the present.
    await sendToPanel(page, { type: 'state', runId: 1, state: 'paused' });
    await page.$eval('#replay-slider', el => { (el as HTMLInputElement).value = '3'; el.dispatchEvent(new Event('input')); });
    await settle(page);
    assert.match(await page.textContent('#replay-label') ?? '', /^에폭 \d+ · 단계 \d+ \/ 최신 단계 \d+ — 재생을 누르면 현재로 돌아갑니다$/);
    const charts = await page.evaluate(() => window.gradscopePanel.describeCharts()) as Record<string, ChartDescription>;
    assert.equal(charts['chart-gradient-ratio'].scales.x.title, '층 (입력 → 출력)');
    assert.deepEqual(charts['chart-loss'].datasets.map(d => d.label), ['학습', '검증']);
    assert.equal(charts['chart-saturation-history'].scales.y.title, '포화 또는 죽은 유닛');
    const chartWords = Object.values(charts).flatMap(c => [...Object.values(c.scales).map(a => a.title), ...c.datasets.map(d => d.label), ...c.legend, c.legendTitle]);
    const notes = ['note-gradient', 'note-loss', 'note-function', 'note-distribution'];
    for (const id of notes) assert.ok(HANGUL.test(await page.textContent(`#${id}`) ?? ''), `#${id} is Korean: ${await page.textContent(`#${id}`)}`);
    // The names the run brings (its title, source, inputs and target, layer paths in the model) stay as they are.
    // The data reader's notes ("60 rows skipped …") are the core's words, translated there.
    const runNames = [run.meta.title, run.sourceLabel, ...run.meta.inputNames, run.meta.targetName, 'Gradscope', ...run.meta.notes, ...run.meta.layers.map(l => l.path)];
    // The layer tooltip, shown on hover, is read too.
    await page.hover('.layer-chip');
    await settle(page);
    assert.ok(await page.isVisible('.layer-tooltip'), 'the tooltip shows');
    assert.match(await page.textContent('.layer-tooltip') ?? '', /오차 신호\(error signal\) ‖δ‖ = ‖∂L\/∂z‖/);
    const text = `${await pageText(page)}\n${chartWords.join('\n')}`;
    await screenshot(page, 'words-ko-visualize');
    assert.deepEqual(englishLeft(text, english.panel, korean.panel, runNames), { templates: [], words: [] });

    // The worker's crash: the banner's sentence comes from the host (describeDeath, in Korean there), its button from the table.
    await sendToPanel(page, { type: 'error', message: '단계 1,234에서 학습 워커의 메모리가 바닥났습니다 (한도 2,048 MB).', restartable: true, kept: true });
    assert.equal(await page.textContent('#btn-retry'), '다시 시작');
    assert.equal(await page.getAttribute('#btn-retry', 'title'), '새 워커에서 실행을 다시 시작합니다');
    assert.equal(await page.textContent('#run-state'), '오류');
    await page.close();

    // A flat output is said in words, in Korean.
    const flat = run.frames.slice(0, 5).map((frame, i) => (i === 4 && frame.view?.kind === 'curve' ? { ...frame, view: { ...frame.view, ys: [frame.view.xs.map(() => 0.0312)] } } : frame));
    const flatPage = await openPanel(browser, 'light', { strings: korean.panel });
    await sendToPanel(flatPage, runMessage(run), { type: 'frames', runId: 1, frames: flat });
    assert.equal(await flatPage.textContent('#note-function'), `신경망의 예측이 ${run.meta.inputNames[0]} 전체에서 ${run.meta.targetName} ≈ 0.0312입니다 (데이터 범위의 1%도 변하지 않습니다)`);
    assert.deepEqual(pageErrors(flatPage), []);
    await flatPage.close();
  });
});
