// Unit search: which units of a layer pick out a selected span of the text, ranked by separation, by variance and by an interpretability score.
import { computePackedActivations, type ActivationsArgs } from './activations';
import type { InspectedRun } from './inspectedRun';
import { UsageError } from '../../shared/options';
import type { UnitScore, UnitSearchResult } from '../../shared/inspect';

/** The standard deviation below which the separation's denominator stops shrinking, so a unit constant inside and outside scores finitely. */
const SEPARATION_STD_FLOOR = 1e-3;

/** What {@link rankUnits} reads. */
export interface UnitSearchArgs {
  /** values[token][unit], every row as long (e.g. {@link computeActivations}' values). */
  values: readonly ArrayLike<number>[];
  /** Each token's offset in the text and its own text (for its length), in UTF-16 code units. */
  offsets: readonly number[];
  tokens: readonly string[];
  /** The selected span [start, end), in UTF-16 offsets: the tokens that overlap it are inside, the others outside. */
  span: { start: number; end: number };
  /** Units listed per ranking (default 10). */
  top?: number;
}

/** The units ranked three ways for a span, best first, and how many tokens fell inside and outside it. */
export interface UnitRanking {
  inside: number;
  outside: number;
  bySeparation: UnitScore[];
  byVariance: UnitScore[];
  byInterpretability: UnitScore[];
}

/**
 * Scores every unit u for the span, from its values x inside (n₁ tokens) and outside (n₀):
 *
 * - separation: Cohen's d, (mean₁ − mean₀) / s with s² = ((n₁−1)s₁² + (n₀−1)s₀²) / (n₁+n₀−2) the pooled variance (s is
 *   floored at {@link SEPARATION_STD_FLOOR}); ranked by |d|, since a unit that switches off inside the span marks it as
 *   well as one that switches on.
 * - variance: the unit's variance over the whole text (the span plays no part): the units most active in this text.
 * - interpretability: |2·AUC − 1| · |mean₁ − mean₀| / (max − min), from 0 to 1, where AUC = P(x inside > x outside)
 *   (Mann–Whitney, ties counting half) and max − min is the unit's range over the text. A unit a reader can take for a
 *   "span detector" is one that a single threshold reads correctly at every token — the first factor, 1 when every inside
 *   value lies above (or below) every outside one, ~0 when they interleave — and whose shift is a large part of
 *   everything the unit does, the second factor, so that a unit separating by a hair on top of big unrelated swings
 *   scores low. Unlike d it is bounded, unchanged by the unit's scale (an LSTM's c is unbounded), and does not explode
 *   for a unit nearly constant on both sides; unlike the AUC alone it ignores perfectly ordered but negligible shifts.
 *
 * Refuses (one-line UsageError) a span that no token overlaps, or one that every token does.
 */
export function rankUnits(args: UnitSearchArgs): UnitRanking {
  const { values, offsets, tokens, span } = args;
  const top = args.top ?? 10;
  const T = values.length;
  const units = T > 0 ? values[0].length : 0;
  // inside[k]: token k overlaps [start, end).
  const inside = offsets.map((offset, k) => offset < span.end && offset + tokens[k].length > span.start);
  const n1 = inside.filter(Boolean).length;
  const n0 = T - n1;
  if (n1 === 0) throw new UsageError(`No token overlaps the span ${span.start}:${span.end}: select some of the text.`);
  if (n0 === 0) throw new UsageError(`Every token overlaps the span ${span.start}:${span.end}: select part of the text, so that some of it is outside.`);
  const scores: UnitScore[] = [];
  const column = new Float64Array(T); // x[k] = values[k][u]
  for (let u = 0; u < units; u++) {
    let sum1 = 0;
    let sum0 = 0;
    let min = Infinity;
    let max = -Infinity;
    for (let k = 0; k < T; k++) {
      const x = values[k][u];
      column[k] = x;
      if (inside[k]) sum1 += x;
      else sum0 += x;
      min = Math.min(min, x);
      max = Math.max(max, x);
    }
    const mean1 = sum1 / n1;
    const mean0 = sum0 / n0;
    const mean = (sum1 + sum0) / T;
    let ss1 = 0; // Σ (x − mean₁)² inside
    let ss0 = 0;
    let ss = 0; // Σ (x − mean)² over all tokens
    for (let k = 0; k < T; k++) {
      const x = column[k];
      if (inside[k]) ss1 += (x - mean1) ** 2;
      else ss0 += (x - mean0) ** 2;
      ss += (x - mean) ** 2;
    }
    const pooled = n1 + n0 > 2 ? (ss1 + ss0) / (n1 + n0 - 2) : 0;
    const separation = (mean1 - mean0) / Math.sqrt(pooled + SEPARATION_STD_FLOOR ** 2);
    const auc = insideAuc(column, inside, n1, n0);
    const range = max - min;
    scores.push({
      unit: u,
      separation,
      variance: ss / T,
      interpretability: range > 0 ? (Math.abs(2 * auc - 1) * Math.abs(mean1 - mean0)) / range : 0,
      auc,
      meanInside: mean1,
      meanOutside: mean0,
    });
  }
  const ranked = (key: (s: UnitScore) => number) =>
    [...scores]
      .sort((a, b) => key(b) - key(a) || a.unit - b.unit)
      .slice(0, top)
      .map((s) => ({ ...s }));
  return {
    inside: n1,
    outside: n0,
    bySeparation: ranked((s) => Math.abs(s.separation)),
    byVariance: ranked((s) => s.variance),
    byInterpretability: ranked((s) => s.interpretability),
  };
}

/** AUC = U₁ / (n₁·n₀), U₁ = Σ ranks of the inside values − n₁(n₁+1)/2, ranks over all values from 1 with ties averaged. */
function insideAuc(column: Float64Array, inside: readonly boolean[], n1: number, n0: number): number {
  const sorted = column.slice().sort();
  let rankSum = 0;
  for (let k = 0; k < column.length; k++) {
    if (!inside[k]) continue;
    const below = firstIndex(sorted, column[k], false); // values < x
    const upTo = firstIndex(sorted, column[k], true); // values ≤ x
    rankSum += below + (upTo - below + 1) / 2;
  }
  return (rankSum - (n1 * (n1 + 1)) / 2) / (n1 * n0);
}

/** The first index of a sorted array whose value is ≥ x (or > x when `after`). */
function firstIndex(sorted: Float64Array, x: number, after: boolean): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < x || (after && sorted[mid] === x)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A span given as START:END (two UTF-16 offsets), or a one-line UsageError. */
export function parseSpan(text: string): { start: number; end: number } {
  const match = /^\s*(\d+)\s*:\s*(\d+)\s*$/.exec(text);
  if (!match) throw new UsageError(`--span must be START:END, two character offsets such as 10:25, not "${text.slice(0, 40)}".`);
  return { start: Number(match[1]), end: Number(match[2]) };
}

/** What {@link searchUnits} reads: the span, and the layer and state as for activations. */
export interface SearchUnitsArgs extends ActivationsArgs {
  span: { start: number; end: number };
  /** Units listed per ranking (default 10). */
  top?: number;
}

/** The activations of `text` (see {@link computeActivations}) and the units that pick out `span` in them, ranked. */
export function searchUnits(run: InspectedRun, text: string, args: SearchUnitsArgs): UnitSearchResult {
  const { span } = args;
  const top = args.top ?? 10;
  if (!(Number.isInteger(span.start) && Number.isInteger(span.end) && span.start >= 0 && span.start < span.end && span.end <= text.length))
    throw new UsageError(`--span ${span.start}:${span.end} must have 0 ≤ START < END ≤ ${text.length}, the text's length.`);
  if (!Number.isInteger(top) || top < 1) throw new UsageError(`--top must be a whole number of at least 1, not ${top}.`);
  const activations = computePackedActivations(run, text, args);
  const H = activations.units;
  const values = activations.tokens.map((_, t) => activations.values.subarray(t * H, (t + 1) * H));
  const ranking = rankUnits({ values, offsets: activations.offsets, tokens: activations.tokens, span, top });
  const { cell, layer, state, units, unknown, stream } = activations;
  return { cell, layer, state, units, span, ...ranking, unknown, stream };
}
