// The confusion matrix's arithmetic, free of the DOM: row-normalised shares, each cell's fill strength, and a readable text colour on it.

/** The faintest fill of a cell that holds any rows, so that a rare confusion still shows. */
export const MIN_FILL_ALPHA = 0.08;
/** The strongest fill, for a cell holding its whole row. */
export const MAX_FILL_ALPHA = 0.85;

/** An opaque colour's channels, 0…255. */
export interface Rgb {
  r: number;
  g: number;
  b: number;
}

/** Each row of a confusion matrix as shares of the row's total (the rows of one actual class); a row without rows is all 0. */
export function rowShares(matrix: readonly (readonly number[])[]): number[][] {
  return matrix.map((row) => {
    const total = row.reduce((sum, count) => sum + count, 0);
    return row.map((count) => (total > 0 ? count / total : 0));
  });
}

/** The fill opacity of a cell holding `share` (0…1) of its row: none for 0, else from {@link MIN_FILL_ALPHA} up to {@link MAX_FILL_ALPHA}, linearly. */
export function fillAlpha(share: number): number {
  if (!(share > 0)) return 0;
  return MIN_FILL_ALPHA + (MAX_FILL_ALPHA - MIN_FILL_ALPHA) * Math.min(1, share);
}

/** The channels and alpha of a CSS `rgb()` or `rgba()` colour, as `getComputedStyle` writes them; mid grey when it cannot be read. */
export function parseRgb(color: string): Rgb & { a: number } {
  const parts = color.match(/[\d.]+/g)?.map(Number);
  if (!parts || parts.length < 3) return { r: 128, g: 128, b: 128, a: 1 };
  return { r: parts[0], g: parts[1], b: parts[2], a: parts[3] ?? 1 };
}

/** `fill` painted at opacity `alpha` over an opaque `background`. */
export function blend(fill: Rgb, alpha: number, background: Rgb): Rgb {
  const mix = (top: number, bottom: number) => top * alpha + bottom * (1 - alpha);
  return { r: mix(fill.r, background.r), g: mix(fill.g, background.g), b: mix(fill.b, background.b) };
}

/** WCAG 2 relative luminance of a colour (0 black … 1 white). */
export function relativeLuminance({ r, g, b }: Rgb): number {
  const linear = (channel: number) => {
    const c = channel / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/** WCAG 2 contrast ratio of two colours (1 … 21). */
export function contrastRatio(a: Rgb, b: Rgb): number {
  const [light, dark] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}

/**
 * Of the candidate text colours (CSS `rgb()` strings), the one with the most contrast on a cell filled with `fill` at
 * opacity `alpha` over the page `background`; the first candidate wins a tie.
 */
export function readableTextColor(fill: string, alpha: number, background: string, candidates: readonly string[]): string {
  const shown = blend(parseRgb(fill), alpha, parseRgb(background));
  let best = candidates[0];
  let bestRatio = -1;
  for (const candidate of candidates) {
    // A translucent text colour (a muted foreground) shows blended over the cell.
    const text = parseRgb(candidate);
    const ratio = contrastRatio(blend(text, text.a, shown), shown);
    if (ratio > bestRatio) {
      best = candidate;
      bestRatio = ratio;
    }
  }
  return best;
}
