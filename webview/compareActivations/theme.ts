// Colours for the Compare Activations charts, read from VS Code's --vscode-* theme variables at draw time.

export interface CompareTheme {
  foreground: string;
  grid: string;
  fontFamily: string;
  series: string[];
}

function cssVar(style: CSSStyleDeclaration, name: string): string {
  return style.getPropertyValue(name).trim();
}

export function readCompareTheme(): CompareTheme {
  const style = getComputedStyle(document.body);
  const pick = (...names: string[]) => names.map(n => cssVar(style, n)).find(v => v !== '') ?? '';
  // Series colours: VS Code's chart palette first, then the terminal's ANSI colours for more distinct hues.
  const series = [
    '--vscode-charts-blue', '--vscode-charts-orange', '--vscode-charts-green', '--vscode-charts-red', '--vscode-charts-purple',
    '--vscode-charts-yellow', '--vscode-terminal-ansiCyan', '--vscode-terminal-ansiMagenta', '--vscode-terminal-ansiBrightGreen',
    '--vscode-terminal-ansiBrightRed', '--vscode-terminal-ansiBrightBlue', '--vscode-terminal-ansiBrightYellow',
  ].map(n => cssVar(style, n)).filter(v => v !== '');
  return {
    foreground: pick('--vscode-foreground', '--vscode-editor-foreground') || 'CanvasText',
    grid: pick('--vscode-editorWidget-border', '--vscode-panel-border', '--vscode-widget-border') || 'GrayText',
    fontFamily: pick('--vscode-font-family') || 'sans-serif',
    series: series.length ? [...new Set(series)] : ['CanvasText'],
  };
}

export function compareColors(theme: CompareTheme): string[] {
  return theme.series;
}
