// Theme colours from VS Code's --vscode-* variables (or the report's stand-ins), re-read when the theme changes.

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

function cssVar(style: CSSStyleDeclaration, name: string, fallback: string): string {
  const value = style.getPropertyValue(name).trim();
  return value === '' ? fallback : value;
}

export function readPalette(): Palette {
  const style = getComputedStyle(document.body);
  const classes = document.body.classList;
  const isLight = classes.contains('vscode-light') || classes.contains('vscode-high-contrast-light');
  const isHighContrast = classes.contains('vscode-high-contrast') || classes.contains('vscode-high-contrast-light');
  const foreground = cssVar(style, '--vscode-foreground', isLight ? '#3b3b3b' : '#cccccc');
  const blue = cssVar(style, '--vscode-charts-blue', '#3794ff');
  const orange = cssVar(style, '--vscode-charts-orange', '#d18616');
  const green = cssVar(style, '--vscode-charts-green', '#89d185');
  const red = cssVar(style, '--vscode-charts-red', '#f14c4c');
  const purple = cssVar(style, '--vscode-charts-purple', '#b180d7');
  const yellow = cssVar(style, '--vscode-charts-yellow', '#cca700');
  return {
    foreground,
    muted: cssVar(style, '--vscode-descriptionForeground', foreground),
    // charts-lines is meant for axes; grid lines read better fainter.
    grid: withAlpha(cssVar(style, '--vscode-charts-lines', foreground), isHighContrast ? 0.6 : 0.18),
    background: cssVar(style, '--vscode-editor-background', isLight ? '#ffffff' : '#1e1e1e'),
    train: blue,
    val: orange,
    curve: cssVar(style, '--vscode-charts-foreground', foreground),
    good: green,
    bad: red,
    warn: yellow,
    accent: cssVar(style, '--vscode-focusBorder', blue),
    series: [blue, orange, green, purple, red, yellow],
    fontFamily: cssVar(style, '--vscode-font-family', 'system-ui, sans-serif'),
    fontSize: Number.parseFloat(cssVar(style, '--vscode-font-size', '13')) || 13,
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
