// What the editor needs from parsing a config as the user types: every problem with its exact span, and where each
// linear layer is written (for the hints). Wraps the core's parseConfig; pure (no vscode).
import { findNodeAtLocation } from 'jsonc-parser';
import { parseConfig } from '../../core/config';
import { parseConfigTree, spanOfPath, type TextSpan } from './jsonLocations';

export interface ConfigIssue extends TextSpan {
  message: string;
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
  return { issues, ok: result.ok, layerLines, layerSpans, lrSpan, lr: result.run?.train.optimizer.lr };
}
