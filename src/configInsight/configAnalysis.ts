// What the editor needs from parsing a config as the user types: every problem with its exact span, and where each
// linear layer is written (for the hints). Wraps the core's parseConfig; pure (no vscode).
import { findNodeAtLocation } from 'jsonc-parser';
import { parseConfig, type ConfigRun } from '../core/config/config';
import { formatNumber } from '../core/analysis/probeWarnings';
import { coreText, formatCoreText, type CoreText } from '../core/messages';
import type { ModuleSpec } from '../core/types';
import { parseConfigTree, spanOfPath, type TextSpan } from './jsonLocations';

export interface ConfigIssue extends TextSpan {
  /** In English; `text`, when given, is the same message as data (the editor shows it translated). */
  message: string;
  text?: CoreText;
  severity: 'error' | 'warning' | 'information';
}

export interface ConfigAnalysis {
  issues: ConfigIssue[];
  /** No error: the probe can run on this text. */
  ok: boolean;
  /** 0-based line of each linear layer (index 0 … L−1). */
  layerLines: Map<number, number>;
  /** The span of each linear layer's source element. */
  layerSpans: Map<number, TextSpan>;
  /** The learning rate's value, where the divergence warning points. */
  lrSpan?: TextSpan;
  /** The configured learning rate. */
  lr?: number;
}

/** 0-based line of an offset. */
export function lineOfOffset(text: string, offset: number): number {
  let line = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

export function analyzeConfig(text: string, configPath: string): ConfigAnalysis {
  const result = parseConfig(text, configPath);
  const issues: ConfigIssue[] = result.errors.map(error => ({
    message: error.message,
    text: error.text,
    severity: error.severity,
    offset: error.offset,
    length: Math.max(error.length, 0),
  }));
  const layerLines = new Map<number, number>();
  const layerSpans = new Map<number, TextSpan>();
  for (const location of result.layerLocations) {
    layerLines.set(location.index, location.line - 1);
    layerSpans.set(location.index, { offset: location.offset, length: location.length });
  }
  const root = parseConfigTree(text);
  const lrNode = root && (findNodeAtLocation(root, ['optimizer', 'lr']) ?? findNodeAtLocation(root, ['lr']));
  const lrSpan = lrNode ? { offset: lrNode.offset, length: lrNode.length } : spanOfPath(root, ['optimizer']);
  if (result.run) {
    issues.push(...residualWidthIssues(result.run, layerSpans), ...learningRateIssues(result.run, lrSpan));
    issues.sort((a, b) => a.offset - b.offset);
  }
  return { issues, ok: result.ok, layerLines, layerSpans, lrSpan, lr: result.run?.train.optimizer.lr };
}

/**
 * Residual blocks whose output width differs from their input: the engine then puts a linear projection on the skip
 * path, so the block no longer has the identity path that carries the gradient through unchanged. Reported on the
 * block's first layer. The input width of a block at the very start depends on the data and is not checked here.
 */
function residualWidthIssues(run: ConfigRun, layerSpans: Map<number, TextSpan>): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  let linearIndex = 0;
  const walk = (modules: ModuleSpec[], width: number | undefined): number | undefined => {
    for (const module of modules) {
      if (module.type === 'linear') {
        linearIndex++;
        width = module.units > 0 ? module.units : undefined;
      } else if (module.type === 'residual') {
        const first = linearIndex;
        const out = walk(module.layers, width);
        const span = layerSpans.get(first);
        if (width !== undefined && out !== undefined && out !== width && span) {
          issues.push({
            ...span, severity: 'information',
            ...withText(coreText('config.hint.residualWidth', { first, last: linearIndex - 1, from: width, to: out })),
          });
        }
        width = out;
      }
    }
    return width;
  };
  walk(run.network.layers, undefined);
  return issues;
}

function withText(text: CoreText): { message: string; text: CoreText } {
  return { message: formatCoreText(text), text };
}

/** Learning rates far outside the usual range for their optimizer (the probe shows what they do). */
function learningRateIssues(run: ConfigRun, lrSpan: TextSpan | undefined): ConfigIssue[] {
  if (!lrSpan) return [];
  const { type, lr } = run.train.optimizer;
  const adaptive = type === 'adam' || type === 'adamw';
  const usual = adaptive ? [1e-5, 0.05] : [1e-4, 1];
  if (lr > usual[1]) {
    return [{
      ...lrSpan, severity: 'information',
      ...withText(coreText('config.hint.lrLarge', { lr: formatNumber(lr), optimizer: type, low: formatNumber(usual[0]), high: formatNumber(usual[1]) })),
    }];
  }
  if (lr < usual[0]) {
    return [{
      ...lrSpan, severity: 'information',
      ...withText(coreText('config.hint.lrSmall', { lr: formatNumber(lr), optimizer: type, low: formatNumber(usual[0]), high: formatNumber(usual[1]) })),
    }];
  }
  return [];
}
