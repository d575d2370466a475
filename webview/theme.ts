// Chart colours and fonts read from VS Code's theme variables, and a hook for theme changes.

/** Colours and font for drawing charts on canvas, resolved from `--vscode-*` variables. */
export interface ChartTheme {
  foreground: string;
  /** Secondary text (axis labels). */
  muted: string;
  grid: string;
  background: string;
  blue: string;
  red: string;
  green: string;
  yellow: string;
  orange: string;
  purple: string;
  /** Canvas font for axes, e.g. `12px "Segoe UI"`, and its parts. */
  font: string;
  fontSize: number;
  fontFamily: string;
  /** Whether a high-contrast theme is active (thicker lines). */
  highContrast: boolean;
}

let probe: HTMLElement | undefined;

/** Resolves a CSS colour expression (e.g. `var(--vscode-charts-blue, #3794ff)`) to `rgb(...)`/`rgba(...)`. */
function resolveColor(expression: string): string {
  if (!probe) {
    probe = document.createElement('span');
    probe.setAttribute('aria-hidden', 'true');
    probe.style.display = 'none';
    document.body.append(probe);
  }
  probe.style.color = '';
  probe.style.color = expression;
  return getComputedStyle(probe).color;
}

/** The same colour with its alpha multiplied, e.g. for translucent fills. */
export function withAlpha(rgb: string, alpha: number): string {
  const parts = rgb.match(/[\d.]+/g)?.map(Number) ?? [128, 128, 128, 1];
  const [r, g, b, a = 1] = parts;
  return `rgba(${r}, ${g}, ${b}, ${a * alpha})`;
}

/** Reads the current theme's chart colours and editor font. */
export function readChartTheme(): ChartTheme {
  const styles = getComputedStyle(document.body);
  const kind = document.body.getAttribute('data-vscode-theme-kind') ?? '';
  const highContrast = kind.includes('high-contrast') || document.body.classList.contains('vscode-high-contrast');
  const foreground = resolveColor('var(--vscode-charts-foreground, var(--vscode-foreground, #cccccc))');
  const fontFamily = styles.getPropertyValue('--vscode-font-family').trim() || 'system-ui, sans-serif';
  const fontSize = parseFloat(styles.getPropertyValue('--vscode-font-size')) || 13;
  return {
    foreground,
    muted: resolveColor('var(--vscode-descriptionForeground, var(--vscode-foreground))'),
    grid: highContrast ? withAlpha(foreground, 0.35) : withAlpha(resolveColor('var(--vscode-charts-lines, var(--vscode-foreground))'), 0.35),
    background: resolveColor('var(--vscode-editor-background, #1e1e1e)'),
    blue: resolveColor('var(--vscode-charts-blue, #3794ff)'),
    red: resolveColor('var(--vscode-charts-red, #f14c4c)'),
    green: resolveColor('var(--vscode-charts-green, #89d185)'),
    yellow: resolveColor('var(--vscode-charts-yellow, #cca700)'),
    orange: resolveColor('var(--vscode-charts-orange, #d18616)'),
    purple: resolveColor('var(--vscode-charts-purple, #b180d7)'),
    font: `${Math.max(10, fontSize - 1)}px ${fontFamily}`,
    fontSize: Math.max(10, fontSize - 1),
    fontFamily,
    highContrast,
  };
}

/** Calls `onChange` once per frame after VS Code switches theme (it restyles `<html>` and re-tags `<body>`). */
export function onThemeChange(onChange: () => void): void {
  let pending = false;
  const observer = new MutationObserver(() => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      onChange();
    });
  });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
  observer.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind', 'data-vscode-theme-id'] });
}
