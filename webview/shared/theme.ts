// The one theme reader of every Gradscope page: VS Code's --vscode-* variables (or the report's stand-ins), read
// when a page draws and again when the theme changes; the charts' palette; and CSS colours as numbers. Each page
// decides which variable colours what (Palette here for the Visualize and Compare Networks charts; the Compare
// Activations and Universal Approximation pages map their own roles with themeVar).

export interface Palette {
  foreground: string;
  muted: string;
  grid: string;
  background: string;
  train: string;
  val: string;
  curve: string;
  good: string;
  bad: string;
  warn: string;
  accent: string;
  /** One colour per class (classification) or per series. */
  series: string[];
  fontFamily: string;
  fontSize: number;
  isLight: boolean;
  isHighContrast: boolean;
}

/**
 * The first of `names` that the theme sets, '' if none. VS Code sets the variables on <html>; the HTML report's
 * stand-ins are on <body>, so both are read.
 */
export function themeVar(...names: string[]): string {
  const root = getComputedStyle(document.documentElement);
  const body = getComputedStyle(document.body);
  for (const name of names) {
    const value = root.getPropertyValue(name).trim() || body.getPropertyValue(name).trim();
    if (value !== '') return value;
  }
  return '';
}

function cssVar(name: string, fallback: string): string {
  return themeVar(name) || fallback;
}

export function readPalette(): Palette {
  const classes = document.body.classList;
  const isLight = classes.contains('vscode-light') || classes.contains('vscode-high-contrast-light');
  const isHighContrast = classes.contains('vscode-high-contrast') || classes.contains('vscode-high-contrast-light');
  const foreground = cssVar('--vscode-foreground', isLight ? '#3b3b3b' : '#cccccc');
  const blue = cssVar('--vscode-charts-blue', '#3794ff');
  const orange = cssVar('--vscode-charts-orange', '#d18616');
  const green = cssVar('--vscode-charts-green', '#89d185');
  const red = cssVar('--vscode-charts-red', '#f14c4c');
  const purple = cssVar('--vscode-charts-purple', '#b180d7');
  const yellow = cssVar('--vscode-charts-yellow', '#cca700');
  return {
    foreground,
    muted: cssVar('--vscode-descriptionForeground', foreground),
    // charts-lines is meant for axes; grid lines read better fainter.
    grid: withAlpha(cssVar('--vscode-charts-lines', foreground), isHighContrast ? 0.6 : 0.18),
    background: cssVar('--vscode-editor-background', isLight ? '#ffffff' : '#1e1e1e'),
    train: blue,
    val: orange,
    curve: cssVar('--vscode-charts-foreground', foreground),
    good: green,
    bad: red,
    warn: yellow,
    accent: cssVar('--vscode-focusBorder', blue),
    series: [blue, orange, green, purple, red, yellow],
    fontFamily: cssVar('--vscode-font-family', 'system-ui, sans-serif'),
    fontSize: Number.parseFloat(cssVar('--vscode-font-size', '13')) || 13,
    isLight,
    isHighContrast,
  };
}

/** Calls `onChange` when VS Code switches theme (it swaps the body's vscode-light/dark/high-contrast class). */
export function observeTheme(onChange: () => void): () => void {
  let lastClass = document.body.className;
  const observer = new MutationObserver(() => {
    if (document.body.className === lastClass) return;
    lastClass = document.body.className;
    onChange();
  });
  observer.observe(document.body, { attributes: true, attributeFilter: ['class', 'style'] });
  return () => observer.disconnect();
}

/** Any CSS colour → [r, g, b, a] (0–255, alpha 0–1), through the canvas's own parser. */
const probe = document.createElement('canvas').getContext('2d');
export function parseColor(color: string): [number, number, number, number] {
  if (probe === null) return [128, 128, 128, 1];
  probe.fillStyle = '#000000';
  probe.fillStyle = color;
  const normalised = String(probe.fillStyle);
  if (normalised.startsWith('#')) {
    const hex = normalised.slice(1);
    return [Number.parseInt(hex.slice(0, 2), 16), Number.parseInt(hex.slice(2, 4), 16), Number.parseInt(hex.slice(4, 6), 16), 1];
  }
  const parts = normalised.replace(/rgba?\(|\)/g, '').split(',').map(Number);
  return [parts[0] ?? 0, parts[1] ?? 0, parts[2] ?? 0, parts[3] ?? 1];
}

export function withAlpha(color: string, alpha: number): string {
  const [r, g, b] = parseColor(color);
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}

const rgbCache = new Map<string, [number, number, number]>();

/**
 * Any CSS colour as opaque r, g, b, by painting one pixel (theme variables may be hex, rgb(), names or system
 * colours such as CanvasText); cached, for heatmaps that blend between theme colours per cell.
 */
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
