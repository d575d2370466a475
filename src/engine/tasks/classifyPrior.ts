// The naive-Bayes prior a classifier learns a correction to: out-of-fold log-probabilities on the training rows, temperature-scaled to their lowest log loss.
import { NaiveBayes } from '../eval/naiveBayes';
import { Rng } from '../rng';

/** Folds of the out-of-fold scores: each training row is scored by naive Bayes fitted on the other folds. */
const PRIOR_FOLDS = 5;
/** The temperature is searched in [0, MAX_SCALE]: naive Bayes is overconfident, so the scale found is usually well below 1. */
const MAX_SCALE = 4;
/** Golden-section steps of the search, each shrinking the interval by 0.618. */
const SCALE_SEARCH_STEPS = 40;
/** The lowest log-probability a prior gives a class, so that a class absent from a fold costs a bounded loss. */
const MIN_LOG_PROB = -30;

/** Naive Bayes as a classifier's prior: the model and its temperature. */
export interface NaiveBayesPrior {
  /** Fitted on all the training rows (the naive-Bayes baseline itself). */
  bayes: NaiveBayes;
  /** The prior's log-probabilities are logSoftmax(scale · naive Bayes' log scores). */
  scale: number;
}

/**
 * Each training row's naive-Bayes log scores out of fold (the row's own counts left out, as they will be for any new
 * text), and the temperature of the lowest mean log loss on them. `bayes` is the model fitted on all `texts`; the
 * folds use its smoothing and are stratified by class, in an order drawn from `seed`.
 */
export function fitPrior(
  bayes: NaiveBayes,
  texts: readonly string[],
  classIds: readonly number[],
  classes: number,
  seed: number,
): NaiveBayesPrior & { outOfFold: Float32Array[] } {
  const fold = stratifiedFolds(classIds, classes, seed);
  const scores: number[][] = new Array(texts.length);
  for (let k = 0; k < PRIOR_FOLDS; k++) {
    const rest = texts.flatMap((_, row) => (fold[row] === k ? [] : [row]));
    const held = texts.flatMap((_, row) => (fold[row] === k ? [row] : []));
    if (held.length === 0 || rest.length === 0) continue;
    const model = NaiveBayes.fit(
      rest.map((row) => texts[row]),
      rest.map((row) => classIds[row]),
      classes,
      bayes.alpha,
    );
    for (const row of held) scores[row] = model.logScores(texts[row]);
  }
  // With fewer rows than folds every row is its own fold's only row; the full model scores any left.
  texts.forEach((text, row) => (scores[row] ??= bayes.logScores(text)));
  const scale = bestScale(scores, classIds);
  return { bayes, scale, outOfFold: scores.map((s) => scaledLogProbs(s, scale)) };
}

/** The prior's log-probabilities [classes] for a text. */
export function priorLogProbs(prior: NaiveBayesPrior, text: string): Float32Array {
  return scaledLogProbs(prior.bayes.logScores(text), prior.scale);
}

/** logSoftmax(scale · scores), each at least MIN_LOG_PROB. */
function scaledLogProbs(scores: readonly number[], scale: number): Float32Array {
  return Float32Array.from(logSoftmax(scores, scale), (l) => Math.max(MIN_LOG_PROB, l));
}

/** logSoftmax(scale · scores); a class scored −∞ (absent from the fold) stays −∞. */
function logSoftmax(scores: readonly number[], scale: number): number[] {
  const scaled = scores.map((s) => (Number.isFinite(s) ? scale * s : -Infinity));
  const max = Math.max(...scaled);
  const logTotal = max + Math.log(scaled.reduce((sum, s) => sum + Math.exp(s - max), 0));
  return scaled.map((s) => s - logTotal);
}

/**
 * The scale in [0, MAX_SCALE] of the lowest mean log loss of logSoftmax(scale · scores), by golden section: the loss
 * is convex in the scale. It is taken unclamped (a floor would flatten it where the search could stall), over the rows
 * whose class has a finite score.
 */
function bestScale(scores: readonly number[][], classIds: readonly number[]): number {
  const scored = scores.flatMap((s, row) => (Number.isFinite(s[classIds[row]]) ? [row] : []));
  const loss = (scale: number) => {
    let total = 0;
    for (const row of scored) total -= logSoftmax(scores[row], scale)[classIds[row]];
    return total / Math.max(1, scored.length);
  };
  const ratio = (Math.sqrt(5) - 1) / 2;
  let [low, high] = [0, MAX_SCALE];
  for (let step = 0; step < SCALE_SEARCH_STEPS; step++) {
    const a = high - ratio * (high - low);
    const b = low + ratio * (high - low);
    if (loss(a) <= loss(b)) high = b;
    else low = a;
  }
  return (low + high) / 2;
}

/** A fold in [0, PRIOR_FOLDS) for each row: each class's rows, in a random order, dealt round the folds. */
function stratifiedFolds(classIds: readonly number[], classes: number, seed: number): number[] {
  const rng = new Rng(seed);
  const fold = new Array<number>(classIds.length);
  for (let c = 0; c < classes; c++) {
    const rows = classIds.flatMap((id, row) => (id === c ? [row] : []));
    for (let i = rows.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [rows[i], rows[j]] = [rows[j], rows[i]];
    }
    rows.forEach((row, k) => (fold[row] = k % PRIOR_FOLDS));
  }
  return fold;
}
