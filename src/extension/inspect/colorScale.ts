// The inside view's colour scales: activations in 4 negative and 4 positive buckets (diverging), surprisal in 5 (sequential), as translucent backgrounds that read on light, dark and high-contrast themes.
import type { InspectState } from '../../shared/inspect';

/** Buckets on each side of zero: a unit's value colours its character in bucket −4…−1 or 1…4, or none (0). */
export const ACTIVATION_LEVELS = 4;
/** |value| / scale below this gets no colour: a unit near zero says nothing there, and the text stays plain. */
export const ACTIVATION_DEAD_ZONE = 0.1;
/** Surprisal buckets 1…5 start at these bits; below the first (p > 1/2), no colour. */
export const SURPRISAL_EDGES = [1, 2, 4, 6, 9] as const;
export const SURPRISAL_LEVELS = SURPRISAL_EDGES.length;

/**
 * The bucket of an activation, −{@link ACTIVATION_LEVELS}…{@link ACTIVATION_LEVELS}: 0 within the dead zone, then four
 * equal steps of |value| / scale up to 1 (and beyond it, the last). Not a number: 0.
 */
export function activationBucket(value: number, scale: number): number {
  const t = Math.abs(value) / scale;
  if (!(t >= ACTIVATION_DEAD_ZONE)) return 0;
  const level = Math.min(ACTIVATION_LEVELS, 1 + Math.floor(((t - ACTIVATION_DEAD_ZONE) / (1 - ACTIVATION_DEAD_ZONE)) * ACTIVATION_LEVELS));
  return value < 0 ? -level : level;
}

/**
 * What |value| 1 means on the scale: for h, 1 (tanh bounds it, so units compare); for an LSTM's c, which has no bound,
 * the largest |c| the unit reaches in the text read (`values` row-major [tokens × units]).
 */
export function activationScale(state: InspectState, values: Float32Array, units: number, unit: number): number {
  if (state === 'h') return 1;
  let max = 0;
  for (let i = unit; i < values.length; i += units) max = Math.max(max, Math.abs(values[i]));
  return max > 1e-6 ? max : 1;
}

/** The bucket of a token's surprisal, 0…{@link SURPRISAL_LEVELS} (0: under 1 bit, or not scored). */
export function surprisalBucket(bits: number | null): number {
  if (bits === null || !(bits >= SURPRISAL_EDGES[0])) return 0;
  let level = 0;
  while (level < SURPRISAL_LEVELS && bits >= SURPRISAL_EDGES[level]) level++;
  return level;
}

/** A background for light themes and one for dark ones (high-contrast dark counts as dark, high-contrast light as light). */
export interface ThemedColor {
  light: string;
  dark: string;
}

const rgba = ([r, g, b]: readonly number[], alpha: number) => `rgba(${r}, ${g}, ${b}, ${alpha})`;

/** Orange above zero and blue below (a pair that colour-blind readers tell apart), lighter hues on dark themes. */
const POSITIVE = { light: [230, 97, 1], dark: [255, 150, 60] } as const;
const NEGATIVE = { light: [33, 102, 172], dark: [90, 160, 255] } as const;
/** Red, stronger with the bits. */
const SURPRISE = { light: [214, 39, 40], dark: [255, 85, 85] } as const;
/** Alpha by level: the text stays readable over the strongest one. */
const ACTIVATION_ALPHA = { light: [0.14, 0.27, 0.42, 0.6], dark: [0.18, 0.3, 0.44, 0.6] } as const;
const SURPRISAL_ALPHA = { light: [0.1, 0.2, 0.32, 0.46, 0.62], dark: [0.14, 0.25, 0.37, 0.5, 0.64] } as const;

/** The background of an activation bucket (not 0). */
export function activationColor(bucket: number): ThemedColor {
  const hue = bucket > 0 ? POSITIVE : NEGATIVE;
  const level = Math.min(ACTIVATION_LEVELS, Math.abs(bucket)) - 1;
  return { light: rgba(hue.light, ACTIVATION_ALPHA.light[level]), dark: rgba(hue.dark, ACTIVATION_ALPHA.dark[level]) };
}

/** The background of a surprisal bucket (1…5). */
export function surprisalColor(bucket: number): ThemedColor {
  const level = Math.min(SURPRISAL_LEVELS, bucket) - 1;
  return { light: rgba(SURPRISE.light, SURPRISAL_ALPHA.light[level]), dark: rgba(SURPRISE.dark, SURPRISAL_ALPHA.dark[level]) };
}

/** Every bucket that has a colour, for activations (−4…−1, 1…4) or surprisal (1…5). */
export function coloredBuckets(kind: 'activations' | 'surprisal'): number[] {
  if (kind === 'surprisal') return Array.from({ length: SURPRISAL_LEVELS }, (_, i) => i + 1);
  return Array.from({ length: 2 * ACTIVATION_LEVELS + 1 }, (_, i) => i - ACTIVATION_LEVELS).filter((b) => b !== 0);
}

/** What a bucket stands for, for the legend in the status bar's tooltip: "0.78 to 1.00" or "4 to 6 bits". */
export function bucketMeaning(kind: 'activations' | 'surprisal', bucket: number, scale = 1): string {
  if (kind === 'surprisal') {
    const from = SURPRISAL_EDGES[bucket - 1];
    const to = SURPRISAL_EDGES[bucket];
    return to === undefined ? `${from}+ bits` : `${from} to ${to} bits`;
  }
  const step = (1 - ACTIVATION_DEAD_ZONE) / ACTIVATION_LEVELS;
  const level = Math.abs(bucket);
  const low = (ACTIVATION_DEAD_ZONE + (level - 1) * step) * scale;
  const high = level === ACTIVATION_LEVELS ? undefined : (ACTIVATION_DEAD_ZONE + level * step) * scale;
  const sign = bucket < 0 ? '−' : '+';
  return high === undefined ? `${sign}${low.toFixed(2)} or beyond` : `${sign}${low.toFixed(2)} to ${sign}${high.toFixed(2)}`;
}
