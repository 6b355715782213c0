// Colours for the Universal Approximation page, read from VS Code's --vscode-* theme variables at draw time.

export interface UatTheme {
  foreground: string;
  muted: string;
  background: string;
  grid: string;
  focus: string;
  fontFamily: string;
  curve: string;
  points: string;
  trainedHand: string;
  trainedRandom: string;
  low: string;
  high: string;
  series: string[];
}

export function readUatTheme(): UatTheme {
  const style = getComputedStyle(document.documentElement);
  const body = getComputedStyle(document.body);
  const v = (name: string) => style.getPropertyValue(name).trim() || body.getPropertyValue(name).trim();
  const pick = (...names: string[]) => names.map(v).find(x => x !== '') ?? '';
  const series = ['--vscode-charts-purple', '--vscode-charts-green', '--vscode-charts-yellow', '--vscode-charts-red', '--vscode-terminal-ansiCyan', '--vscode-terminal-ansiMagenta']
    .map(v).filter(x => x !== '');
  return {
    foreground: pick('--vscode-foreground', '--vscode-editor-foreground') || 'CanvasText',
    muted: pick('--vscode-descriptionForeground', '--vscode-foreground') || 'GrayText',
    background: pick('--vscode-editor-background') || 'Canvas',
    grid: pick('--vscode-editorWidget-border', '--vscode-panel-border', '--vscode-widget-border') || 'GrayText',
    focus: pick('--vscode-focusBorder', '--vscode-charts-blue') || 'Highlight',
    fontFamily: pick('--vscode-font-family') || 'sans-serif',
    curve: pick('--vscode-charts-blue') || 'CanvasText',
    points: pick('--vscode-descriptionForeground', '--vscode-foreground') || 'GrayText',
    trainedHand: pick('--vscode-charts-orange', '--vscode-charts-red') || 'CanvasText',
    trainedRandom: pick('--vscode-charts-green', '--vscode-charts-purple') || 'GrayText',
    low: pick('--vscode-charts-blue') || 'blue',
    high: pick('--vscode-charts-orange', '--vscode-charts-red') || 'orange',
    series: series.length ? series : ['GrayText'],
  };
}

const rgbCache = new Map<string, [number, number, number]>();

/** Any CSS colour as r, g, b (the browser parses it: theme variables may be hex, rgb() or names). */
export function rgbOf(color: string): [number, number, number] {
  const cached = rgbCache.get(color);
  if (cached) return cached;
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = 1;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) return [128, 128, 128];
  ctx.fillStyle = color;
  ctx.fillRect(0, 0, 1, 1);
  const [r, g, b] = ctx.getImageData(0, 0, 1, 1).data;
  const out: [number, number, number] = [r, g, b];
  rgbCache.set(color, out);
  return out;
}
