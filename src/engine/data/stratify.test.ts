// Unit tests for the stratified split: the class balance of every split, its determinism, and small classes.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { stratifiedSplit } from './stratify';

/** Class ids with `counts[id]` rows of each class, interleaved as a file might hold them. */
function classIdsOf(counts: number[]): number[] {
  const ids = counts.flatMap((count, id) => new Array<number>(count).fill(id));
  return ids.map((_, index) => ids[(index * 7919) % ids.length]);
}

function countsIn(rows: number[], ids: number[], classes: number): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (const row of rows) counts[ids[row]]++;
  return counts;
}

describe('stratifiedSplit', () => {
  const counts = [700, 250, 43, 7];
  const ids = classIdsOf(counts);

  it('keeps the class balance in every split, within one row per class', () => {
    const split = stratifiedSplit(ids, 0.1, 0.2, 1);
    const expected = { val: 0.1, test: 0.2, train: 0.7 };
    for (const [name, share] of Object.entries(expected) as [keyof typeof split, number][]) {
      countsIn(split[name], ids, counts.length).forEach((count, id) =>
        assert.ok(Math.abs(count - counts[id] * share) <= 1, `${name}: class ${id} has ${count} of ${counts[id]} rows`),
      );
    }
  });

  it('partitions the rows, each split ascending', () => {
    const split = stratifiedSplit(ids, 0.1, 0.2, 1);
    const all = [...split.train, ...split.val, ...split.test].sort((a, b) => a - b);
    assert.deepEqual(
      all,
      ids.map((_, row) => row),
    );
    for (const rows of [split.train, split.val, split.test])
      assert.deepEqual(
        rows,
        [...rows].sort((a, b) => a - b),
      );
  });

  it('is the same for a seed and differs between seeds', () => {
    assert.deepEqual(stratifiedSplit(ids, 0.1, 0.1, 5), stratifiedSplit(ids, 0.1, 0.1, 5));
    assert.notDeepEqual(stratifiedSplit(ids, 0.1, 0.1, 5).test, stratifiedSplit(ids, 0.1, 0.1, 6).test);
  });

  it('puts every class of 2 rows or more in train and test (3 rows: 2 and 1), and a class of one row in train', () => {
    const small = [0, 0, 1, 1, 1, 2, 0, 0, 0, 0];
    const split = stratifiedSplit(small, 0.1, 0.1, 3);
    assert.deepEqual(countsIn(split.train, small, 3), [4, 2, 1]);
    assert.deepEqual(countsIn(split.test, small, 3), [1, 1, 0]);
    assert.deepEqual(countsIn(split.val, small, 3), [1, 0, 0]);
  });

  it('skips class ids that have no rows', () => {
    const split = stratifiedSplit([0, 0, 2, 2], 0, 0.5, 1);
    assert.deepEqual(countsIn(split.test, [0, 0, 2, 2], 3), [1, 0, 1]);
  });
});
