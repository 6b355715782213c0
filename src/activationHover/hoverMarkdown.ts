// The hover's Markdown for one recognised activation: the picture, the formulas and the facts that decide whether a
// deep stack of it learns, and two command links. No `vscode` import, so it is unit-tested in plain Node; the
// provider (hoverProvider.ts) wraps the text in a trusted MarkdownString.
import * as l10n from '@vscode/l10n';
import { localizeCatalogued } from '../shared/localize';
import { ACTIVATIONS } from '../core/activations/activations';
import { activationFacts, compoundThroughLayers, describeRange, formatNumber } from '../core/activations/activationFacts';
import type { ActivationReference, Framework } from '../core/activations/activationRecognizer';
import { activationSvgDataUri, type ThemeKind } from '../core/activations/activationSvg';
import type { ActivationName } from '../core/types';
import {
  COMPARE_ACTIVATIONS_COMMAND, EXAMPLE_DEPTH, VISUALIZE_NETWORK_COMMAND, visualizeArgs, type CompareActivationsArgs,
} from '../shared/commands';

export const COMPARE_COMMAND = COMPARE_ACTIVATIONS_COMMAND;
export const VISUALIZE_COMMAND = VISUALIZE_NETWORK_COMMAND;
/** The only commands the hover's links may run (MarkdownString.isTrusted.enabledCommands). */
export const HOVER_COMMANDS = [COMPARE_COMMAND, VISUALIZE_COMMAND];

const FRAMEWORK_LABEL: Record<Framework, string> = {
  pytorch: 'PyTorch', tensorflow: 'TensorFlow', keras: 'Keras', jax: 'JAX', flax: 'Flax', tfjs: 'TensorFlow.js',
  flux: 'Flux', plain: '', config: 'config',
};

const PARAM_SYMBOL: Record<string, string> = { lambda: 'λ', alpha: 'α', beta: 'β' };

/** Self-normalising activations whose "parameters" are fixed constants derived in their papers. */
const CONSTANT_PARAMS: Partial<Record<ActivationName, true>> = { selu: true, serlu: true };

function commandUri(command: string, args: unknown): string {
  return `command:${command}?${encodeURIComponent(JSON.stringify([args]))}`;
}

/** Escapes Markdown punctuation in free text taken from the table. */
function md(text: string): string {
  // `<` and `>` stay: the MarkdownString renders no HTML, and `x > 0` must read as written.
  return text.replace(/([\\`*_{}[\]#|])/g, '\\$1');
}

function superscript(n: number): string {
  const digits = '⁰¹²³⁴⁵⁶⁷⁸⁹';
  return String(n).split('').map(d => digits[Number(d)] ?? d).join('');
}

function fullPrecision(value: number): string {
  return String(value).replace(/^-/, '−');
}

function slopeVerdict(maxSlope: number, where: string): string {
  const n = EXAMPLE_DEPTH;
  const s = formatNumber(maxSlope, 3);
  if (maxSlope === 0) return l10n.t('**0** — {0}: no gradient passes through it at all', md(where));
  if (maxSlope < 1) {
    return l10n.t('**{0}** at {1} → n stacked layers scale the gradient by at most {0}ⁿ ({2} layers: {3})',
      s, md(where), n, formatNumber(compoundThroughLayers(maxSlope, n)));
  }
  if (maxSlope === 1) return l10n.t('**1** at {0} → the gradient passes there unchanged, layer after layer', md(where));
  return l10n.t('**{0}** at {1} → can grow the gradient up to {0}ⁿ through n layers ({2} layers: ×{3})',
    s, md(where), n, formatNumber(compoundThroughLayers(maxSlope, n)));
}

function rangesText(ranges: { from: number; to: number }[]): string {
  return ranges.map(r => (r.from === -Infinity && r.to === Infinity ? l10n.t('everywhere') : describeRange(r))).join(', ');
}

/** The Markdown for a hover over `reference`, with the picture for `theme`. */
export function buildHoverMarkdown(reference: ActivationReference, theme: ThemeKind): string {
  const { name } = reference;
  const info = ACTIVATIONS[name];
  const facts = activationFacts(name, reference.params);
  const params = facts.params;
  const lines: string[] = [];

  const where = FRAMEWORK_LABEL[reference.framework];
  const shownWhere = reference.framework === 'config' ? l10n.t('config') : where;
  lines.push(`**${md(info.label)}**${reference.spelling !== name ? ` · \`${reference.spelling}\`` : ''}${shownWhere ? ` (${shownWhere})` : ''}`);
  lines.push('');
  // The verdict for deep stacks comes first: a tall hover scrolls, and this line is what the hover is for.
  lines.push(l10n.t('Largest slope {0}', slopeVerdict(facts.maxSlope, localizeCatalogued(facts.maxSlopeWhere))));
  lines.push('');
  lines.push(`![${l10n.t('{0}: f(x) and its derivative', name)}](${activationSvgDataUri(name, params, theme)})`);
  lines.push('');
  lines.push(md(localizeCatalogued(info.summary)));
  lines.push('');

  const rows: [string, string][] = [];
  rows.push(['f(x)', `\`${info.formula}\``]);
  rows.push(['f′(x)', `\`${info.derivativeFormula}\``]);
  rows.push([l10n.t('Range'), md(info.range)]);
  const saturatingOnly = facts.saturating.filter(r => !facts.dead.some(d => d.from <= r.from && d.to >= r.to));
  rows.push([
    l10n.t('Saturates'),
    facts.maxSlope === 0 ? l10n.t('everywhere')
      : saturatingOnly.length ? l10n.t('{0} (slope below 5% of its largest)', rangesText(saturatingOnly))
      : facts.dead.length ? l10n.t('only where it is dead (below)') : l10n.t('never'),
  ]);
  if (facts.dead.length) rows.push([l10n.t('Dead (f′ = 0)'), l10n.t('{0} — a unit whose input stays there on every sample stops learning', rangesText(facts.dead))]);
  rows.push([l10n.t('Zero-centred'), facts.zeroCentred ? l10n.t('yes') : l10n.t('no — outputs have a non-zero mean, which biases the next layer’s updates')]);
  rows.push([
    'E[f′(z)], z ~ N(0, 1)',
    l10n.t('{0} → through {1} layers ×{2} (E[f′]{3}, before weights)', formatNumber(facts.expectedSlope, 3), EXAMPLE_DEPTH,
      formatNumber(compoundThroughLayers(facts.expectedSlope, EXAMPLE_DEPTH)), superscript(EXAMPLE_DEPTH)),
  ]);

  const keys = Object.keys(info.defaults);
  if (info.learned) {
    const init = params[info.learned.param];
    rows.push([
      l10n.t('Learned'),
      info.learned.perUnit
        ? l10n.t('{0} (initialised to {1}; one per layer, or one per unit), updated by backprop with ∂f/∂a = min(0, x)', info.learned.param, formatNumber(init, 4))
        : l10n.t('{0} (initialised to {1}), updated by backprop with ∂f/∂a = min(0, x)', info.learned.param, formatNumber(init, 4)),
    ]);
  } else if (CONSTANT_PARAMS[name]) {
    rows.push([l10n.t('Constants'), keys.map(k => `${PARAM_SYMBOL[k] ?? k} = ${fullPrecision(params[k])}`).join(', ')]);
  } else if (keys.length) {
    const written = new Set(reference.writtenParams);
    const source = where && reference.framework !== 'config' ? l10n.t('{0} default', where) : l10n.t('default');
    rows.push([
      l10n.t('Parameters'),
      keys.map(k => `${PARAM_SYMBOL[k] ?? k} = ${formatNumber(params[k], 4)} (${written.has(k) ? l10n.t('written here') : source})`).join(', '),
    ]);
  }
  if (info.paper) {
    const p = info.paper;
    const title = p.url ? `[${md(p.title)}](${p.url})` : `*${md(p.title)}*`;
    rows.push([l10n.t('Paper'), `${title} — ${md(p.authors)}, ${p.year} (${md(p.link)})`]);
  }

  lines.push('| | |');
  lines.push('|---|---|');
  // A pipe splits a table cell even inside a code span (GFM), so every unescaped one is escaped.
  for (const [label, value] of rows) lines.push(`| ${label} | ${value.replace(/(?<!\\)\|/g, '\\|')} |`);
  lines.push('');

  const notes = [...(reference.note ? [reference.note] : []), ...info.notes].map(localizeCatalogued);
  for (const note of notes) lines.push(`*${md(note)}*  `);
  if (notes.length) lines.push('');

  const compare: CompareActivationsArgs = { activations: [name], params: { [name]: params } };
  const visualize = visualizeArgs(name, params);
  lines.push(
    `[${l10n.t('Compare activations')}](${commandUri(COMPARE_COMMAND, compare)} "${l10n.t('Overlay activations and see how their slopes compound with depth')}")` +
      ` · [${l10n.t('Visualize a deep stack of it')}](${commandUri(VISUALIZE_COMMAND, visualize)} "${l10n.t('Train a {0}-layer {1} network and watch its gradients', EXAMPLE_DEPTH, name)}")`,
  );
  return lines.join('\n');
}
