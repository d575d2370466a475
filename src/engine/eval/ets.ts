// ETS baseline: additive Holt-Winters (ETS(A,N/A/Ad,A) or ETS(A,N/A/Ad,N)) fitted once by Nelder-Mead, then run online as a forecaster.
import type { EtsParameters } from '../../shared/runFolder';

/** Trend of an ETS model. */
export type EtsTrend = EtsParameters['trend'];

/**
 * A fitted ETS model: the parameters a run records (alpha: level smoothing, 0 < α < 1; beta: trend smoothing,
 * 0 < β < α, 0 without trend; gamma: seasonal smoothing, 0 < γ < 1 − α, 0 without season; phi: damping, 0.8 ≤ φ ≤ 0.98
 * for a damped trend, else 1; sse and aic: the fit's one-step squared error and the AIC that chose the trend).
 */
export interface EtsFit extends EtsParameters {
  /** The fitted part is series[fitStart, trainEnd): the training part's last 25,000 points (or two seasons, if more). */
  fitStart: number;
}

/** What the filter needs of a fit. */
export type EtsModel = Pick<EtsFit, 'trend' | 'season' | 'alpha' | 'beta' | 'gamma' | 'phi'>;

/** Filter states after each t: level[t] = l_t, slope[t] = b_t, seasonal[t + m] = s_t; seasonal[0..m) holds s_{−m}..s_{−1}. */
interface FilterStates {
  level: Float64Array;
  slope: Float64Array;
  seasonal: Float64Array;
}

/** Points fitted at most: the SSE is evaluated a few hundred times per candidate, so long series are fitted on their tail. */
const FIT_MAX_POINTS = 25_000;
/** Points whose least-squares line sets the initial level and slope of a non-seasonal model. */
const NON_SEASONAL_INIT_POINTS = 10;
const TRENDS: readonly EtsTrend[] = ['none', 'additive', 'damped'];
const PHI_MIN = 0.8;
const PHI_MAX = 0.98;
/** Starting values: alpha, beta / alpha, gamma / (1 − alpha), and the damping at mid-range. */
const START_ALPHA = 0.3;
const START_BETA_SHARE = 0.1;
const START_GAMMA_SHARE = 0.1;
const NM_STEP = 1;
const NM_EVALUATIONS_PER_DIMENSION = 200;
const NM_TOLERANCE = 1e-9;

/**
 * Fits ETS models with trend none, additive and damped (each with the season when given) on series[0, trainEnd) by
 * minimising the one-step SSE with Nelder-Mead over logistic-transformed parameters, and returns the one with the lowest
 * AIC = n·log(SSE/n) + 2·(smoothing parameters + initial states). Series longer than 25,000 points are fitted on the
 * training part's last 25,000 points (`fitStart`). Falls back to a non-seasonal model when trainEnd < 2·season.
 * @throws RangeError for a trainEnd outside [2, series.length] or a season that is not an integer ≥ 2.
 */
export function fitEts(series: ArrayLike<number>, trainEnd: number, season: number | null): EtsFit {
  if (!Number.isInteger(trainEnd) || trainEnd < 2 || trainEnd > series.length) {
    throw new RangeError(`fitEts needs 2 <= trainEnd <= ${series.length} (got ${trainEnd}).`);
  }
  if (season !== null && (!Number.isInteger(season) || season < 2)) {
    throw new RangeError(`fitEts needs an integer season >= 2 or null (got ${season}).`);
  }
  const m = season !== null && trainEnd >= 2 * season ? season : null;
  const fitStart = Math.max(0, trainEnd - Math.max(FIT_MAX_POINTS, 2 * (m ?? 0)));
  const values = Float64Array.from({ length: trainEnd - fitStart }, (_, t) => series[fitStart + t]);
  const states = allocateStates(values.length, m);
  const fits = TRENDS.map((trend) => fitTrend(values, trend, m, states));
  const best = fits.reduce((chosen, fit) => ((fit.aic ?? Infinity) < (chosen.aic ?? Infinity) ? fit : chosen));
  return { ...best, fitStart };
}

/**
 * Runs the fitted model's filter once over the whole series (fixed parameters, no refit) and returns a forecaster:
 * origin t (last observed index) -> forecasts for t+1..t+horizon, l_t + (φ+…+φ^h)·b_t + s_{t−m+1+((h−1) mod m)}.
 * The initial states come from series[0, 2m) (non-seasonal: the first 10 points), so forecasts from origins t ≥ 2m − 1
 * depend only on series[0..t].
 * @throws RangeError for a horizon that is not a positive integer or a series shorter than two seasons; the forecaster
 * throws for an origin outside [0, series.length).
 */
export function etsForecaster(series: ArrayLike<number>, fit: EtsModel, horizon: number): (origin: number) => Float64Array {
  if (!Number.isInteger(horizon) || horizon < 1) {
    throw new RangeError(`etsForecaster needs a positive integer horizon (got ${horizon}).`);
  }
  const m = fit.season ?? 0;
  if (series.length < Math.max(1, 2 * m)) {
    throw new RangeError(`etsForecaster needs at least ${Math.max(1, 2 * m)} values (got ${series.length}).`);
  }
  const values = Float64Array.from(series);
  const states = allocateStates(values.length, fit.season);
  runFilter(values, fit, states);
  const slopeWeights = new Float64Array(horizon);
  let phiPower = 1;
  let phiSum = 0;
  for (let h = 1; h <= horizon; h++) {
    phiPower *= fit.phi;
    phiSum += phiPower;
    slopeWeights[h - 1] = phiSum;
  }
  const { level, slope, seasonal } = states;
  return (origin) => {
    if (!Number.isInteger(origin) || origin < 0 || origin >= values.length) {
      throw new RangeError(`ETS forecast origin must be an integer in [0, ${values.length}) (got ${origin}).`);
    }
    return Float64Array.from(
      { length: horizon },
      (_, step) => level[origin] + slopeWeights[step] * slope[origin] + (m > 0 ? seasonal[origin + 1 + (step % m)] : 0),
    );
  };
}

/** Fits one trend's smoothing parameters by Nelder-Mead and scores the fit by AIC. */
function fitTrend(values: Float64Array, trend: EtsTrend, m: number | null, states: FilterStates): Omit<EtsFit, 'fitStart'> {
  const hasSlope = trend !== 'none';
  const betaIndex = 1;
  const gammaIndex = hasSlope ? 2 : 1;
  const phiIndex = m === null ? gammaIndex : gammaIndex + 1;
  const decode = (x: Float64Array): EtsModel => {
    const alpha = logistic(x[0]);
    return {
      trend,
      season: m,
      alpha,
      beta: hasSlope ? alpha * logistic(x[betaIndex]) : 0,
      gamma: m === null ? 0 : (1 - alpha) * logistic(x[gammaIndex]),
      phi: trend === 'damped' ? PHI_MIN + (PHI_MAX - PHI_MIN) * logistic(x[phiIndex]) : 1,
    };
  };
  const start = [logit(START_ALPHA)];
  if (hasSlope) {
    start.push(logit(START_BETA_SHARE));
  }
  if (m !== null) {
    start.push(logit(START_GAMMA_SHARE));
  }
  if (trend === 'damped') {
    start.push(0);
  }
  const objective = (x: Float64Array) => {
    const sse = runFilter(values, decode(x), states);
    return Number.isFinite(sse) ? sse : Number.MAX_VALUE;
  };
  const optimum = nelderMead(objective, start);
  const n = values.length;
  const initialStates = 1 + (hasSlope ? 1 : 0) + (m === null ? 0 : m - 1);
  const aic = n * Math.log(Math.max(optimum.value / n, Number.MIN_VALUE)) + 2 * (start.length + initialStates);
  return { ...decode(optimum.x), sse: optimum.value, aic };
}

/** State arrays for n steps: level and slope of length n, seasonal of length n + m (empty without season). */
function allocateStates(n: number, m: number | null): FilterStates {
  return { level: new Float64Array(n), slope: new Float64Array(n), seasonal: new Float64Array(m === null ? 0 : n + m) };
}

/**
 * Runs the error-correction filter over all values from heuristic initial states, storing the states after each t,
 * and returns the sum of squared one-step errors.
 */
function runFilter(values: Float64Array, model: EtsModel, states: FilterStates): number {
  const { alpha, beta, gamma, phi } = model;
  const m = model.season ?? 0;
  const { level, slope, seasonal } = states;
  let { level: l, slope: b } = initialStates(values, model, seasonal);
  let sse = 0;
  for (let t = 0; t < values.length; t++) {
    const seasonBefore = m > 0 ? seasonal[t] : 0;
    const dampedSlope = phi * b;
    const error = values[t] - (l + dampedSlope + seasonBefore);
    sse += error * error;
    l += dampedSlope + alpha * error;
    b = dampedSlope + beta * error;
    if (m > 0) {
      seasonal[t + m] = seasonBefore + gamma * error;
    }
    level[t] = l;
    slope[t] = b;
  }
  return sse;
}

/**
 * Classical initial states l_{−1}, b_{−1} (returned) and s_{−m}..s_{−1} (written to seasonal[0..m)). With a season: a line
 * through the first season's mean whose slope is the difference of the first two seasons' means over m, and seasonal
 * states equal to the first season's deviations from that line (they sum to 0). Without: the least-squares line of the
 * first 10 points. The slope is 0 for trend 'none'; l_{−1} = line(0) − φ·slope so that the first one-step forecast is line(0).
 */
function initialStates(values: Float64Array, model: EtsModel, seasonal: Float64Array): { level: number; slope: number } {
  const m = model.season;
  const width = m ?? Math.min(NON_SEASONAL_INIT_POINTS, values.length);
  const centre = (width - 1) / 2;
  const firstMean = blockMean(values, 0, width);
  let slope = 0;
  if (model.trend !== 'none') {
    slope = m === null ? leastSquaresSlope(values, width, firstMean) : (blockMean(values, m, 2 * m) - firstMean) / m;
  }
  const lineAtZero = firstMean - slope * centre;
  for (let t = 0; t < (m ?? 0); t++) {
    seasonal[t] = values[t] - (lineAtZero + slope * t);
  }
  return { level: lineAtZero - model.phi * slope, slope };
}

/** Mean of values[start, end). */
function blockMean(values: Float64Array, start: number, end: number): number {
  let sum = 0;
  for (let t = start; t < end; t++) {
    sum += values[t];
  }
  return sum / (end - start);
}

/** Least-squares slope of values[0, width) against t; 0 with fewer than 2 points. */
function leastSquaresSlope(values: Float64Array, width: number, mean: number): number {
  const centre = (width - 1) / 2;
  let covariance = 0;
  let varianceT = 0;
  for (let t = 0; t < width; t++) {
    covariance += (t - centre) * (values[t] - mean);
    varianceT += (t - centre) ** 2;
  }
  return varianceT > 0 ? covariance / varianceT : 0;
}

function logistic(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

function logit(p: number): number {
  return Math.log(p / (1 - p));
}

/** A point of the Nelder-Mead simplex and its objective value. */
interface Vertex {
  x: Float64Array;
  value: number;
}

/**
 * Minimises `objective` by Nelder-Mead (reflection, expansion, contraction, shrink) from `start` with unit initial steps,
 * until the simplex values agree to a relative 1e-9 or 200 evaluations per dimension were spent.
 */
function nelderMead(objective: (x: Float64Array) => number, start: number[]): Vertex {
  const dim = start.length;
  const maxEvaluations = NM_EVALUATIONS_PER_DIMENSION * dim;
  let evaluations = 0;
  const evaluate = (x: Float64Array): Vertex => {
    evaluations++;
    return { x, value: objective(x) };
  };
  const along = (from: Float64Array, to: Float64Array, factor: number) => from.map((coordinate, i) => coordinate + factor * (to[i] - coordinate));
  let simplex = [evaluate(Float64Array.from(start))];
  for (let i = 0; i < dim; i++) {
    simplex.push(evaluate(Float64Array.from(start, (coordinate, j) => (i === j ? coordinate + NM_STEP : coordinate))));
  }
  for (;;) {
    simplex.sort((a, b) => a.value - b.value);
    const best = simplex[0];
    const worst = simplex[dim];
    if (evaluations >= maxEvaluations || worst.value - best.value <= NM_TOLERANCE * Math.abs(best.value)) {
      return best;
    }
    const centroid = new Float64Array(dim);
    simplex.slice(0, dim).forEach((vertex) => vertex.x.forEach((coordinate, i) => (centroid[i] += coordinate / dim)));
    const reflected = evaluate(along(worst.x, centroid, 2));
    if (reflected.value < best.value) {
      const expanded = evaluate(along(worst.x, centroid, 3));
      simplex[dim] = expanded.value < reflected.value ? expanded : reflected;
    } else if (reflected.value < simplex[dim - 1].value) {
      simplex[dim] = reflected;
    } else {
      const contracted = evaluate(along(worst.x, centroid, reflected.value < worst.value ? 1.5 : 0.5));
      if (contracted.value < Math.min(reflected.value, worst.value)) {
        simplex[dim] = contracted;
      } else {
        simplex = simplex.map((vertex, i) => (i === 0 ? vertex : evaluate(along(best.x, vertex.x, 0.5))));
      }
    }
  }
}
