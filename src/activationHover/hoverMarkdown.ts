// The hover's Markdown for one recognised activation: the picture, the formulas and the facts that decide whether a
// deep stack of it learns, and two command links. No `vscode` import, so it is unit-tested in plain Node; the
// provider (hoverProvider.ts) wraps the text in a trusted MarkdownString.
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
  if (maxSlope === 0) return `**0** — ${md(where)}: no gradient passes through it at all`;
  if (maxSlope < 1) {
    return `**${s}** at ${md(where)} → n stacked layers scale the gradient by at most ${s}ⁿ ` +
      `(${n} layers: ${formatNumber(compoundThroughLayers(maxSlope, n))})`;
  }
  if (maxSlope === 1) return `**1** at ${md(where)} → the gradient passes there unchanged, layer after layer`;
  return `**${s}** at ${md(where)} → can grow the gradient up to ${s}ⁿ through n layers (${n} layers: ×${formatNumber(compoundThroughLayers(maxSlope, n))})`;
}

function rangesText(ranges: { from: number; to: number }[]): string {
  return ranges.map(r => describeRange(r)).join(', ');
}

/** The Markdown for a hover over `reference`, with the picture for `theme`. */
export function buildHoverMarkdown(reference: ActivationReference, theme: ThemeKind): string {
  const { name } = reference;
  const info = ACTIVATIONS[name];
  const facts = activationFacts(name, reference.params);
  const params = facts.params;
  const lines: string[] = [];

  const where = FRAMEWORK_LABEL[reference.framework];
  lines.push(`**${md(info.label)}**${reference.spelling !== name ? ` · \`${reference.spelling}\`` : ''}${where ? ` (${where})` : ''}`);
  lines.push('');
  // The verdict for deep stacks comes first: a tall hover scrolls, and this line is what the hover is for.
  lines.push(`Largest slope ${slopeVerdict(facts.maxSlope, facts.maxSlopeWhere)}`);
  lines.push('');
  lines.push(`![${name}: f(x) and its derivative](${activationSvgDataUri(name, params, theme)})`);
  lines.push('');
  lines.push(md(info.summary));
  lines.push('');

  const rows: [string, string][] = [];
  rows.push(['f(x)', `\`${info.formula}\``]);
  rows.push(['f′(x)', `\`${info.derivativeFormula}\``]);
  rows.push(['Range', md(info.range)]);
  const saturatingOnly = facts.saturating.filter(r => !facts.dead.some(d => d.from <= r.from && d.to >= r.to));
  rows.push([
    'Saturates',
    facts.maxSlope === 0 ? 'everywhere'
      : saturatingOnly.length ? `${rangesText(saturatingOnly)} (slope below 5% of its largest)`
      : facts.dead.length ? 'only where it is dead (below)' : 'never',
  ]);
  if (facts.dead.length) rows.push(['Dead (f′ = 0)', `${rangesText(facts.dead)} — a unit whose input stays there on every sample stops learning`]);
  rows.push(['Zero-centred', facts.zeroCentred ? 'yes' : 'no — outputs have a non-zero mean, which biases the next layer’s updates']);
  rows.push([
    'E[f′(z)], z ~ N(0, 1)',
    `${formatNumber(facts.expectedSlope, 3)} → through ${EXAMPLE_DEPTH} layers ×${formatNumber(compoundThroughLayers(facts.expectedSlope, EXAMPLE_DEPTH))}` +
      ` (E[f′]${superscript(EXAMPLE_DEPTH)}, before weights)`,
  ]);

  const keys = Object.keys(info.defaults);
  if (info.learned) {
    const init = params[info.learned.param];
    rows.push([
      'Learned',
      `${info.learned.param} (initialised to ${formatNumber(init, 4)}${info.learned.perUnit ? '; one per layer, or one per unit' : ''}), updated by backprop with ∂f/∂a = min(0, x)`,
    ]);
  } else if (CONSTANT_PARAMS[name]) {
    rows.push(['Constants', keys.map(k => `${PARAM_SYMBOL[k] ?? k} = ${fullPrecision(params[k])}`).join(', ')]);
  } else if (keys.length) {
    const written = new Set(reference.writtenParams);
    const source = where && reference.framework !== 'config' ? `${where} default` : 'default';
    rows.push([
      'Parameters',
      keys.map(k => `${PARAM_SYMBOL[k] ?? k} = ${formatNumber(params[k], 4)} (${written.has(k) ? 'written here' : source})`).join(', '),
    ]);
  }
  if (info.paper) {
    const p = info.paper;
    const title = p.url ? `[${md(p.title)}](${p.url})` : `*${md(p.title)}*`;
    rows.push(['Paper', `${title} — ${md(p.authors)}, ${p.year} (${md(p.link)})`]);
  }

  lines.push('| | |');
  lines.push('|---|---|');
  // A pipe splits a table cell even inside a code span (GFM), so every unescaped one is escaped.
  for (const [label, value] of rows) lines.push(`| ${label} | ${value.replace(/(?<!\\)\|/g, '\\|')} |`);
  lines.push('');

  const notes = [...(reference.note ? [reference.note] : []), ...info.notes];
  for (const note of notes) lines.push(`*${md(note)}*  `);
  if (notes.length) lines.push('');

  const compare: CompareActivationsArgs = { activations: [name], params: { [name]: params } };
  const visualize = visualizeArgs(name, params);
  lines.push(
    `[Compare activations](${commandUri(COMPARE_COMMAND, compare)} "Overlay activations and see how their slopes compound with depth")` +
      ` · [Visualize a deep stack of it](${commandUri(VISUALIZE_COMMAND, visualize)} "Train a ${EXAMPLE_DEPTH}-layer ${name} network and watch its gradients")`,
  );
  return lines.join('\n');
}
