// Stratified train/validation/test split of labelled rows: each class shares its rows out in the same proportions.
import { Rng } from '../rng';

/** Row indices of each split, ascending. */
export interface StratifiedSplit {
  train: number[];
  val: number[];
  test: number[];
}

/**
 * Splits rows by class: each class's rows, shuffled with a seeded RNG, give round(n × test) to the test split and
 * round(n × val) to validation, the rest to training. A class of at least 2 rows always has a row in training and in
 * test; a class of one row goes to training.
 */
export function stratifiedSplit(classIds: readonly number[], val: number, test: number, seed: number): StratifiedSplit {
  const rng = new Rng(seed);
  const split: StratifiedSplit = { train: [], val: [], test: [] };
  for (const rows of rowsByClass(classIds)) {
    shuffle(rows, rng);
    const n = rows.length;
    const testCount = n < 2 ? 0 : clamp(Math.round(n * test), 1, n - 1);
    const valCount = clamp(Math.round(n * val), 0, n - 1 - testCount);
    split.test.push(...rows.slice(0, testCount));
    split.val.push(...rows.slice(testCount, testCount + valCount));
    split.train.push(...rows.slice(testCount + valCount));
  }
  const ascending = (a: number, b: number) => a - b;
  return { train: split.train.sort(ascending), val: split.val.sort(ascending), test: split.test.sort(ascending) };
}

/** The row indices of each class that has rows, in class-id order. */
function rowsByClass(classIds: readonly number[]): number[][] {
  const byClass: number[][] = [];
  classIds.forEach((id, row) => (byClass[id] ??= []).push(row));
  return byClass.filter((rows) => rows !== undefined);
}

/** Fisher-Yates shuffle in place. */
function shuffle(values: number[], rng: Rng): void {
  for (let i = values.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [values[i], values[j]] = [values[j], values[i]];
  }
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
