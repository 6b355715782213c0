// The Compare Activations page's words in the display language, embedded in the page (src/shared/webviewPage.ts)
// and read by webview/compareActivations/main.ts. Pure (no vscode): @vscode/l10n carries the bundle activate() loaded.
import * as l10n from '@vscode/l10n';
import { ACTIVATIONS, activationNames } from '../core/activations/activations';
import { CORE_MESSAGES, coreText, type CoreMessageId } from '../core/messages';
import { localizeCatalogued, localizeCore } from '../shared/localize';

/**
 * The activation table's own words as the page shows them (summaries, where the slope peaks, parameter notes): the
 * page computes from the bundled English table, so the host sends each English text with its display-language
 * form (the core's catalogue, src/core/activations/activationMessages.ts).
 */
function activationWords(): Record<string, string> {
  const words: Record<string, string> = {};
  for (const name of activationNames()) {
    const info = ACTIVATIONS[name];
    for (const english of [info.summary, info.maxSlope.where, ...Object.values(info.paramDocs).map(d => d.description)]) {
      words[english] = localizeCatalogued(english);
    }
  }
  return words;
}

/**
 * The parameter checks' templates (act.param.*), English → display language with the `{name}` placeholders kept:
 * the page checks a typed value with the core's activationParamProblems and fills the template it is given.
 */
function checkTemplates(): Record<string, string> {
  const templates: Record<string, string> = {};
  for (const [id, english] of Object.entries(CORE_MESSAGES)) if (id.startsWith('act.param.')) templates[english] = localizeCore(coreText(id as CoreMessageId));
  return templates;
}

export function compareStrings() {
  return {
    title: l10n.t('Compare Activations'),
    lede: l10n.t('Backpropagation multiplies the gradient by f′(z) at every layer. Where f′ is small the signal fades; the right chart shows how the expected slope E[f′(z)] for standardised inputs z ~ N(0, 1) compounds through n layers (weights aside).'),
    activations: l10n.t('Activations'),
    depth: l10n.t('Depth n'),
    depthValue: l10n.t('{0} layers'),
    showDerivatives: l10n.t('Show derivatives (dashed)'),
    curvesAria: l10n.t('f(x) and f′(x) of the selected activations'),
    compoundingAria: l10n.t('Expected slope compounded through n layers, log scale'),
    curvesCaption: l10n.t('f(x) solid, f′(x) dashed'),
    compoundingCaption: l10n.t('Expected slope compounded through n = 1…{0} layers (log scale)'),
    axisLayers: l10n.t('layers n'),
    tableCaption: l10n.t('Slopes of the selected activations'),
    colActivation: l10n.t('Activation'),
    colLargestSlope: l10n.t('Largest slope'),
    colMaxSlopePower: l10n.t('max slopeⁿ, n = {0}'),
    colParameters: l10n.t('Parameters'),
    visualizeStack: l10n.t('Visualize a deep stack'),
    visualizeStackAria: l10n.t('Visualize a deep stack of {0}'),
    pickSome: l10n.t('Pick one or more activations above.'),
    needsNumber: l10n.t('{0} needs a number'),
    /** Not a word of the page: English → display language for the activation table's texts. */
    activationWords: activationWords(),
    /** Not a word of the page: the parameter checks' templates in the display language. */
    checkTemplates: checkTemplates(),
  };
}

/** The page's table (webview/shared/strings.ts reads it): one key per word, `{0}`-style placeholders. */
export type CompareStrings = ReturnType<typeof compareStrings>;
