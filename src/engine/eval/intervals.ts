// Split-conformal prediction intervals per horizon step: validation residuals, half-widths, interval scores and level parsing.
import { checkLevels, UsageError } from '../../shared/options';

/** Coverage, mean width and Winkler (interval) score of intervals [ŷ - w_h, ŷ + w_h] over (origin, step) pairs. */
export interface IntervalScores {
  /** Fraction of pairs whose actual lies inside the closed interval (0-1). */
  coverage: number;
  /** Mean interval width 2·w_h, in original units. */
  width: number;
  /** Mean Winkler score: width plus (2/α)·distance outside the interval, α = 1 − level. Lower is better. */
  winkler: number;
}

/** Slack for (n+1)·level landing just above a whole number through rounding (0.56·25 = 14.000000000000002). */
const RANK_EPSILON = 1e-9;

/**
 * Absolute residuals per horizon step of a forecaster over origins: result[h] holds |y[origin+1+h] − ŷ_h| for every
 * origin whose actual is finite (pairs past the series end or with a non-finite forecast are skipped as well).
 * @throws RangeError when the forecaster returns fewer than `horizon` values.
 */
export function residualsByStep(
  series: ArrayLike<number>,
  origins: number[],
  forecaster: (origin: number) => ArrayLike<number>,
  horizon: number,
): Float64Array[] {
  const byStep: number[][] = Array.from({ length: horizon }, () => []);
  for (const origin of origins) {
    const forecast = forecaster(origin);
    if (forecast.length < horizon) {
      throw new RangeError(`Forecaster returned ${forecast.length} values at origin ${origin}; expected ${horizon}.`);
    }
    for (let step = 0; step < horizon; step++) {
      const residual = Math.abs(series[origin + 1 + step] - forecast[step]);
      if (Number.isFinite(residual)) {
        byStep[step].push(residual);
      }
    }
  }
  return byStep.map((residuals) => Float64Array.from(residuals));
}

/**
 * Half-widths of symmetric split-conformal intervals: halfWidth[levelIndex][h] for each level (e.g. 0.8, 0.95) and
 * horizon step h. Each is the k-th smallest absolute residual with the finite-sample rank k = ⌈(n+1)·level⌉.
 * When step h has too few residuals for that rank (n < level/(1−level): 4 for 80%, 19 for 95%), it pools the residuals
 * of steps h±1, h±2, … (a window widening symmetrically, clipped at both ends) until the rank fits or all steps are
 * pooled; if even all steps are too few, it uses the largest residual (a finite, slightly narrow interval rather than
 * +Infinity). NaN when no step has any residual.
 * @param residuals per step h: absolute validation residuals |y − ŷ|, e.g. from `residualsByStep`.
 * @param levels coverage levels as fractions in (0, 1).
 * @throws RangeError for a level outside (0, 1).
 */
export function conformalHalfWidths(residuals: Float64Array[], levels: number[]): number[][] {
  for (const level of levels) {
    if (!(level > 0 && level < 1)) {
      throw new RangeError(`Conformal level must be a fraction strictly between 0 and 1, not ${level}.`);
    }
  }
  const sorted = residuals.map((values) => Float64Array.from(values).sort());
  return levels.map((level) =>
    sorted.map((_, step) => {
      let pool = sorted[step];
      for (let reach = 1; conformalRank(pool.length, level) > pool.length && reach < sorted.length; reach++) {
        pool = Float64Array.from(sorted.slice(Math.max(0, step - reach), step + reach + 1).flatMap((values) => [...values])).sort();
      }
      return pool.length === 0 ? NaN : pool[Math.min(conformalRank(pool.length, level), pool.length) - 1];
    }),
  );
}

/** Winkler score of one central interval [lower, upper] at `level` (fraction) for the actual y. */
export function winklerScore(y: number, lower: number, upper: number, level: number): number {
  const penalty = 2 / (1 - level);
  return upper - lower + (y < lower ? penalty * (lower - y) : 0) + (y > upper ? penalty * (y - upper) : 0);
}

/**
 * Scores intervals [forecast[i] − halfWidth[i], forecast[i] + halfWidth[i]] at `level` (fraction) against actual[i].
 * All NaN for empty input.
 * @throws RangeError when the three arrays differ in length.
 */
export function scoreIntervals(actual: ArrayLike<number>, forecast: ArrayLike<number>, halfWidth: ArrayLike<number>, level: number): IntervalScores {
  const n = actual.length;
  if (forecast.length !== n || halfWidth.length !== n) {
    throw new RangeError(`Actual, forecast and half-width lengths differ (${n}, ${forecast.length}, ${halfWidth.length}).`);
  }
  let covered = 0;
  let width = 0;
  let winkler = 0;
  for (let i = 0; i < n; i++) {
    const lower = forecast[i] - halfWidth[i];
    const upper = forecast[i] + halfWidth[i];
    covered += actual[i] >= lower && actual[i] <= upper ? 1 : 0;
    width += upper - lower;
    winkler += winklerScore(actual[i], lower, upper, level);
  }
  return { coverage: covered / n, width: width / n, winkler: winkler / n };
}

/** JSON key of a level given as a fraction: its percent without float noise ("80" for 0.8, "97.5" for 0.975). */
export function levelKey(level: number): string {
  return String(Number((level * 100).toPrecision(12)));
}

/**
 * Parses comma-separated interval levels in percent ("80,95" → [80, 95]), keeping their order.
 * @throws UsageError for an empty list or item or a non-number, and as config's checkLevels does for a level outside (0, 100) or a repeated one.
 */
export function parseLevels(text: string): number[] {
  const items = text.split(',').map((item) => item.trim());
  if (items.every((item) => item === '')) {
    throw new UsageError('Interval levels are empty: give percentages separated by commas, such as "80,95".');
  }
  const levels: number[] = [];
  for (const item of items) {
    if (item === '') {
      throw new UsageError(`Interval levels ${JSON.stringify(text)} have an empty item: give percentages separated by commas, such as "80,95".`);
    }
    if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(item)) {
      throw new UsageError(`Interval level ${JSON.stringify(item)} is not a number: give percentages separated by commas, such as "80,95".`);
    }
    levels.push(Number(item));
  }
  checkLevels(levels, items);
  return levels;
}

/** Finite-sample conformal rank ⌈(n+1)·level⌉ (1-based). */
function conformalRank(n: number, level: number): number {
  return Math.ceil((n + 1) * level - RANK_EPSILON);
}
