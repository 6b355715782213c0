// The Compare Activations page's table of words in Korean: the activation table's texts (summaries, slope places,
// the parameters' notes) all have Korean, and a parameter check typed on the page reads in Korean through the
// templates the host sends (checkTemplates) — the same Korean the config diagnostic shows.
import { strict as assert } from 'node:assert';
import { ACTIVATIONS, activationNames, activationParamProblems } from '../../../src/core/activations/activations';
import { parseConfig } from '../../../src/core/config/config';
import { catalogueIdOf, formatCoreText } from '../../../src/core/messages';
import { compareStrings } from '../../../src/compareActivations/compareStrings';
import { localizeCore } from '../../../src/shared/localize';
import { formatNamed } from '../../../webview/shared/translate';
import { HANGUL, inKorean } from '../l10n/inKorean';



/** What the page does with a typed value (webview/compareActivations/main.ts): the core's check, the host's template. */
function pageCheck(strings: ReturnType<typeof compareStrings>, name: Parameters<typeof activationParamProblems>[0], params: Record<string, unknown>): string[] {
  return activationParamProblems(name, params).map(p => formatCoreText(p, (template, args) => formatNamed(strings.checkTemplates[template] ?? template, args)));
}

describe('Compare Activations strings', () => {
  it("every parameter's note is a catalogue entry", () => {
    const missing = activationNames().flatMap(name => Object.entries(ACTIVATIONS[name].paramDocs)
      .filter(([, doc]) => catalogueIdOf(doc.description) === undefined).map(([key]) => `${name}.${key}`));
    assert.deepEqual(missing, []);
    assert.equal(catalogueIdOf(ACTIVATIONS.elu.paramDocs.alpha.description), 'act.elu.param.alpha');
  });

  it('in Korean no activation text is left in English, and the parameter notes read Korean', () => {
    const strings = inKorean(() => compareStrings());
    // texts with words in them (a slope place such as "−3 < x < 3" is a formula and stays as it is)
    const worded = Object.entries(strings.activationWords).filter(([en]) => /[a-z]{3}/.test(en.replace(/\b(min|max|tanh|softplus|exp|ln)\b/g, '')));
    assert.ok(worded.length >= 35, `${worded.length} texts`);
    const english = worded.filter(([, ko]) => !HANGUL.test(ko)).map(([en]) => en);
    assert.deepEqual(english, []);
    assert.equal(strings.activationWords[ACTIVATIONS.leaky_relu.paramDocs.slope.description], 'x < 0 쪽의 기울기(slope) (PyTorch의 negative_slope).');
    assert.equal(strings.activationWords[ACTIVATIONS.selu.paramDocs.lambda.description], '스케일(scale) λ (1.0507009873554805).');
  });

  it('a parameter out of range on the page: English as before, Korean with the numbers unchanged', () => {
    const english = compareStrings();
    assert.deepEqual(pageCheck(english, 'elu', { alpha: -1 }), ['elu.alpha must be ≥ 0']);
    assert.deepEqual(pageCheck(english, 'softplus', { beta: 0 }), ['softplus.beta must be > 0']);
    const ko = inKorean(() => compareStrings());
    assert.deepEqual(pageCheck(ko, 'elu', { alpha: -1 }), ['elu.alpha은(는) ≥ 0이어야 합니다']);
    assert.deepEqual(pageCheck(ko, 'selu', { lambda: 0 }), ['selu.lambda은(는) > 0이어야 합니다']);
    assert.deepEqual(pageCheck(ko, 'prelu', { alpha: 0.1 }), ['prelu에는 "alpha" 매개변수가 없습니다(있는 매개변수: slope)']);
    assert.deepEqual(pageCheck(ko, 'hardtanh', { min: 2, max: 1 }), ['hardtanh.min은 hardtanh.max보다 작아야 합니다']);
    assert.deepEqual(pageCheck(ko, 'elu', { alpha: 0.5 }), []);
  });

  it('the same check as a config diagnostic reads the same Korean', () => {
    const result = parseConfig('{ "data": { "builtin": "xor" }, "hidden": [4], "activation": { "name": "elu", "params": { "alpha": -1 } } }', '/tmp/x.nn.json');
    assert.deepEqual(result.errors.map(e => e.message), ['elu.alpha must be ≥ 0']);
    assert.deepEqual(inKorean(() => result.errors.map(e => localizeCore(e.text))), ['elu.alpha은(는) ≥ 0이어야 합니다']);
  });
});
