// (2) Where the gradient is lost. Left: the error signal's ratio ‖δ_i‖/‖δ_out‖ per layer (what the chain rule
// multiplies) against two honest references from the network's own activations — the activations' part alone
// against ∏ max f′ (¼ⁿ for sigmoid), and the measured ratio against ∏ max f′·‖W‖₂, which it never crosses.
// Middle: each hidden layer's factors as log bars from 1 (below 1 lost, above amplified) whose product is its gain.
// Right: the weight gradient ‖∂L/∂W‖, labelled for what it is (it also carries each layer's input).
import { t } from '../strings';
import {
  backwardOf, chainReferences, layerLabel, decayRelativeToOutput, errorSignalRatio, gainFactors, gradientLossSentence, slopeSymbol,
  type GainFactor,
} from '../analysis';
import { formatNumber, formatPercent } from '../../shared/format';
import type { LayerProbe } from '../../../src/core/types';
import {
  Chart, axisTitle, baseOptions, canvasById, finiteOrNull, layerCardTooltip, positiveOrNull, valueScale,
  type ChartContext, type PanelChart,
} from './common';
import type { Palette } from '../../shared/theme';

const FACTOR_LABELS: Record<GainFactor['kind'], string> = {
  weights: t('factorWeights'),
  activation: t('factorActivation'),
  batchNorm: t('factorBatchNorm'),
  dropout: t('factorDropout'),
  residual: t('factorResidual'),
};
const FACTOR_KINDS: GainFactor['kind'][] = ['weights', 'activation', 'batchNorm', 'dropout', 'residual'];

export class GradientChart implements PanelChart {
  readonly canvasIds = ['chart-gradient-ratio', 'chart-gradient-factors', 'chart-gradient'];
  private normChart: Chart<'line' | 'bar'> | undefined;
  private ratioChart: Chart<'line'> | undefined;
  private factorChart: Chart<'bar' | 'line'> | undefined;
  private builtForLog: boolean | undefined;
  private context: ChartContext | undefined;
  /** The sentence under the chart (tests read it). */
  sentence = '';

  update(context: ChartContext): void {
    this.context = context;
    const { store, palette, settings } = context;
    const snapshot = store.latest();
    const layers = snapshot?.layers ?? [];
    const labels = layers.map(layerLabel);
    const hidden = layers.slice(0, -1);
    const pick = settings.logScale ? positiveOrNull : finiteOrNull;
    if (this.normChart === undefined || this.ratioChart === undefined || this.factorChart === undefined || this.builtForLog !== settings.logScale) {
      this.destroy();
      this.builtForLog = settings.logScale;
      this.build(palette, settings.logScale);
    }
    const { normChart, ratioChart, factorChart } = this;
    if (normChart === undefined || ratioChart === undefined || factorChart === undefined) return;

    normChart.data.labels = labels;
    normChart.data.datasets[0].data = layers.map(layer => pick(layer.gradNorm));
    normChart.data.datasets[1].data = layers.map(layer => pick(layer.biasGradNorm));
    normChart.update('none');

    const references = chainReferences(layers);
    ratioChart.data.labels = labels;
    const [measured, rigorous, activationPart, activationBound] = ratioChart.data.datasets;
    measured.data = references.measured.map(value => positiveOrNull(value));
    rigorous.data = references.rigorousBound.map(value => positiveOrNull(value ?? undefined));
    activationPart.data = references.activationPart.map(value => positiveOrNull(value ?? undefined));
    activationBound.data = references.activationBound.map(value => positiveOrNull(value ?? undefined));
    activationBound.label = activationBoundLabel(hidden);
    ratioChart.update('none');

    factorChart.data.labels = hidden.map(layerLabel);
    const splits = hidden.map(backwardOf);
    // Floating bars from 1: below the line the layer loses that factor of the gradient, above it amplifies.
    FACTOR_KINDS.forEach((kind, k) => {
      const dataset = factorChart.data.datasets[k];
      const values = splits.map(split => (split === undefined ? undefined : gainFactors(split).find(f => f.kind === kind)?.value));
      dataset.data = values.map(value => (value !== undefined && value !== null && value > 0 && Number.isFinite(value) ? [1, value] : null)) as never;
      // Batch norm and residual bars only where the network has them: the legend lists what is drawn.
      dataset.hidden = values.every(value => value === undefined);
    });
    factorChart.data.datasets[FACTOR_KINDS.length].data = splits.map(split => positiveOrNull(split?.gain ?? undefined));
    factorChart.update('none');

    const note = document.getElementById('note-gradient');
    if (note !== null && layers.length > 1) {
      const first = errorSignalRatio(layers)[0];
      const weight = decayRelativeToOutput(layers)[0];
      note.textContent = t('noteFirstLayer', formatNumber(first), formatNumber(weight));
      note.classList.toggle('warning', Number.isFinite(first) && first < 1e-3);
    }
    this.sentence = gradientLossSentence(layers, value => formatNumber(value, 2), formatPercent, t)
      ?? (layers.length > 1 ? t('noSplit') : '');
    const caption = document.getElementById('caption-gradient');
    if (caption !== null) caption.textContent = this.sentence;
  }

  private build(palette: Palette, logScale: boolean): void {
    const layerAxis = (title: string) => ({ type: 'category' as const, title: axisTitle(title, palette), grid: { display: false }, ticks: { color: palette.muted, autoSkip: true, maxRotation: 0 } });
    const tooltip = layerCardTooltip(() => this.context, i => i) as never;

    const ratioOptions = baseOptions<'line'>(palette);
    // Ratios span many decades; a linear axis would hide everything but the last layers.
    ratioOptions.scales = { x: layerAxis(t('axisLayerInOut')), y: valueScale(true, t('axisOverOutput'), palette) };
    ratioOptions.interaction = { mode: 'index', intersect: false };
    ratioOptions.plugins = {
      ...ratioOptions.plugins,
      tooltip,
      // A reference the network does not have (no split recorded) is not listed.
      // Each line in the legend as drawn (solid, dashed, dotted): a bound shares its curve's colour, so the dash tells them apart.
      // (chart.js takes a legend entry's style from the dataset's first point, which has no dash: set it from the line.)
      legend: {
        ...ratioOptions.plugins?.legend,
        labels: {
          ...ratioOptions.plugins?.legend?.labels,
          pointStyle: 'line',
          pointStyleWidth: 28,
          generateLabels: chart => Chart.defaults.plugins.legend.labels.generateLabels(chart).map(item => {
            const dataset = chart.data.datasets[item.datasetIndex ?? 0] as { borderDash?: number[]; borderWidth?: number };
            return { ...item, pointStyle: 'line', lineDash: dataset.borderDash ?? [], lineWidth: Math.max(2, Number(dataset.borderWidth ?? 2)) };
          }),
          filter: (item, data) => data.datasets[item.datasetIndex ?? 0].data.some(v => v !== null),
        },
      },
    };
    const weightsColour = palette.series[3] ?? palette.accent;
    this.ratioChart = new Chart(canvasById('chart-gradient-ratio'), {
      type: 'line',
      data: {
        labels: [],
        datasets: [
          { label: t('seriesErrorSignal'), data: [], borderColor: palette.train, backgroundColor: palette.train, pointRadius: 3, borderWidth: 2 },
          { label: t('seriesBound'), data: [], borderColor: palette.train, backgroundColor: palette.train, borderDash: [5, 4], pointRadius: 0, borderWidth: 1.5 },
          { label: t('seriesActivationsPart'), data: [], borderColor: palette.val, backgroundColor: palette.val, pointRadius: 2, borderWidth: 1.5 },
          { label: t('seriesBoundSlope'), data: [], borderColor: palette.val, backgroundColor: palette.val, borderDash: [2, 3], pointRadius: 0, borderWidth: 1.5 },
        ],
      },
      options: ratioOptions,
    });

    const factorOptions = baseOptions<'bar'>(palette);
    factorOptions.scales = { x: layerAxis(t('axisHiddenLayer')), y: valueScale(true, t('axisFactor'), palette) };
    factorOptions.interaction = { mode: 'index', intersect: false };
    factorOptions.plugins = {
      ...factorOptions.plugins,
      tooltip,
      legend: { ...factorOptions.plugins?.legend, labels: { ...factorOptions.plugins?.legend?.labels, filter: (item, data) => data.datasets[item.datasetIndex ?? 0].hidden !== true } },
    };
    const factorColours: Record<GainFactor['kind'], string> = { weights: weightsColour, activation: palette.val, batchNorm: palette.good, dropout: palette.muted, residual: palette.warn };
    this.factorChart = new Chart(canvasById('chart-gradient-factors'), {
      type: 'bar',
      data: {
        labels: [],
        datasets: [
          ...FACTOR_KINDS.map(kind => ({ type: 'bar' as const, label: FACTOR_LABELS[kind], data: [], backgroundColor: factorColours[kind], borderRadius: 2, order: 2 })),
          { type: 'line' as const, label: t('seriesGain'), data: [], borderColor: palette.train, backgroundColor: palette.train, pointRadius: 3, borderWidth: 0, showLine: false, order: 1 },
        ],
      } as never,
      options: factorOptions,
    }) as Chart<'bar' | 'line'>;

    const normOptions = baseOptions<'bar'>(palette);
    normOptions.scales = { x: layerAxis(t('axisLayerInOut')), y: valueScale(logScale, t('tipWeightGradient'), palette) };
    normOptions.interaction = { mode: 'index', intersect: false };
    normOptions.plugins = { ...normOptions.plugins, tooltip };
    this.normChart = new Chart(canvasById('chart-gradient'), {
      type: 'bar',
      data: {
        labels: [],
        datasets: [
          { type: 'bar', label: t('tipWeightGradient'), data: [], backgroundColor: palette.train, borderRadius: 2, order: 2 },
          { type: 'line', label: t('seriesBiasGradient'), data: [], borderColor: palette.val, backgroundColor: palette.val, pointRadius: 2, borderWidth: 1.5, order: 1 },
        ],
      } as never,
      options: normOptions,
    }) as Chart<'line' | 'bar'>;
  }

  destroy(): void {
    this.normChart?.destroy();
    this.ratioChart?.destroy();
    this.factorChart?.destroy();
    this.normChart = undefined;
    this.ratioChart = undefined;
    this.factorChart = undefined;
  }
}

/** Names the slope bound by the network's own activations: "¼ per sigmoid layer" only when they are sigmoids. */
export function activationBoundLabel(hidden: readonly LayerProbe[]): string {
  const names = [...new Set(hidden.filter(layer => backwardOf(layer) !== undefined).map(layer => layer.activation))];
  if (names.length === 1) {
    const split = backwardOf(hidden.find(layer => layer.activation === names[0]));
    const bound = split?.maxSlope;
    const symbol = slopeSymbol(names[0]);
    if (bound === undefined) return t('seriesBoundSlopeOf', symbol);
    const value = bound === 0.25 ? '¼' : formatNumber(bound, 3);
    return hidden.length > 1 ? t('seriesBoundSlopePerLayer', symbol, value) : t('seriesBoundSlopeIs', symbol, value);
  }
  return names.length === 0 ? t('seriesBoundSlope') : t('seriesBoundSlopes', names.join(', '));
}
