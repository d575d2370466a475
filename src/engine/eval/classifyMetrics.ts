// Classification metrics on the test split: accuracy, macro-F1, log loss, per-class precision/recall/F1 and the confusion matrix.
import type { ClassifyMetrics, ClassMetrics } from '../../shared/runFolder';

/** Probabilities are clipped to [CLIP, 1 − CLIP] and each row renormalized before the log loss, as scikit-learn does. */
const CLIP = 1e-15;

/**
 * Scores class probabilities against the actual class ids: the prediction is the most probable class (ties go to the
 * lower id). `labels[id]` names class `id`; macro-F1 averages the F1 of every label, an F1 being 0 when precision and
 * recall are both 0.
 * @throws RangeError when the rows and probabilities do not line up.
 */
export function classifyMetrics(actual: readonly number[], probs: readonly ArrayLike<number>[], labels: readonly string[]): ClassifyMetrics {
  checkShapes(actual, probs, labels.length);
  const matrix = labels.map(() => labels.map(() => 0));
  actual.forEach((id, row) => matrix[id][argmax(probs[row])]++);
  const correct = labels.reduce((sum, _, id) => sum + matrix[id][id], 0);
  const perClassList = labels.map((_, id) => classMetrics(matrix, id));
  return {
    accuracy: correct / actual.length,
    macroF1: perClassList.reduce((sum, metrics) => sum + metrics.f1, 0) / labels.length,
    logLoss: logLoss(actual, probs),
    perClass: Object.fromEntries(labels.map((label, id) => [label, perClassList[id]])),
    confusion: { labels: [...labels], matrix },
  };
}

/** Mean −log p(actual class), nats, over rows clipped to [CLIP, 1 − CLIP] and renormalized. */
export function logLoss(actual: readonly number[], probs: readonly ArrayLike<number>[]): number {
  let sum = 0;
  actual.forEach((id, row) => {
    const p = probs[row];
    let total = 0;
    for (let k = 0; k < p.length; k++) total += clip(p[k]);
    sum -= Math.log(clip(p[id]) / total);
  });
  return sum / actual.length;
}

/** The index of the largest probability, the lower index on ties. */
function argmax(p: ArrayLike<number>): number {
  let best = 0;
  for (let k = 1; k < p.length; k++) if (p[k] > p[best]) best = k;
  return best;
}

function classMetrics(matrix: number[][], id: number): ClassMetrics {
  const truePositives = matrix[id][id];
  const support = matrix[id].reduce((sum, count) => sum + count, 0);
  const predicted = matrix.reduce((sum, row) => sum + row[id], 0);
  const precision = predicted > 0 ? truePositives / predicted : 0;
  const recall = support > 0 ? truePositives / support : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1, support };
}

function clip(p: number): number {
  return Math.min(1 - CLIP, Math.max(CLIP, p));
}

function checkShapes(actual: readonly number[], probs: readonly ArrayLike<number>[], classes: number): void {
  if (probs.length !== actual.length) {
    throw new RangeError(`${actual.length} actual classes but ${probs.length} rows of probabilities`);
  }
  const bad = actual.findIndex((id, row) => !Number.isInteger(id) || id < 0 || id >= classes || probs[row].length !== classes);
  if (bad >= 0) {
    throw new RangeError(`row ${bad}: class ${actual[bad]} or ${probs[bad].length} probabilities do not fit ${classes} classes`);
  }
}
