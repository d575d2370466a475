// Unit tests for the classification metrics, against a confusion matrix and figures worked out by hand.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { classifyMetrics, logLoss } from './classifyMetrics';

const close = (actual: number, expected: number, tolerance = 1e-6) => assert.ok(Math.abs(actual - expected) < tolerance, `${actual} ≠ ${expected}`);

describe('classifyMetrics', () => {
  // Rows: actual class, then the probabilities; the predicted class is noted beside each row.
  const actual = [0, 0, 0, 1, 1, 2, 2, 2];
  const probs = [
    [0.7, 0.2, 0.1], // a → a
    [0.5, 0.25, 0.25], // a → a
    [0.2, 0.6, 0.2], // a → b
    [0.1, 0.8, 0.1], // b → b
    [0.3, 0.3, 0.4], // b → c
    [0, 0, 1], // c → c
    [0.4, 0.4, 0.2], // c → a (a tie goes to the lower id)
    [0.25, 0.25, 0.5], // c → c
  ];
  const metrics = classifyMetrics(actual, probs, ['a', 'b', 'c']);

  it('counts the confusion matrix by actual row and predicted column', () => {
    assert.deepEqual(metrics.confusion, {
      labels: ['a', 'b', 'c'],
      matrix: [
        [2, 1, 0],
        [0, 1, 1],
        [1, 0, 2],
      ],
    });
  });

  it('computes accuracy, per-class precision, recall, F1 and macro-F1', () => {
    assert.equal(metrics.accuracy, 5 / 8);
    close(metrics.perClass.a.precision, 2 / 3);
    close(metrics.perClass.a.recall, 2 / 3);
    close(metrics.perClass.b.precision, 1 / 2);
    close(metrics.perClass.b.f1, 1 / 2);
    close(metrics.perClass.c.precision, 2 / 3);
    close(metrics.perClass.c.recall, 2 / 3);
    assert.deepEqual(
      Object.values(metrics.perClass).map((one) => one.support),
      [3, 2, 3],
    );
    close(metrics.macroF1, 11 / 18);
  });

  it('computes the log loss of the true classes', () => {
    // −(ln 0.7 + ln 0.5 + ln 0.2 + ln 0.8 + ln 0.3 + ln 1 + ln 0.2 + ln 0.5) / 8
    close(metrics.logLoss, (0.356675 + 0.693147 + 1.609438 + 0.223144 + 1.203973 + 0 + 1.609438 + 0.693147) / 8, 1e-5);
  });

  it('clips a zero probability at 1e-15 and renormalizes, as scikit-learn does', () => {
    close(logLoss([0], [[0, 1]]), 34.538776, 1e-5);
    close(logLoss([1], [[0.5, 0.5, 0.5]]), Math.log(3)); // renormalized to thirds
  });

  it('gives F1 0 to a class that is neither present nor predicted', () => {
    const unseen = classifyMetrics([0, 1], [new Float32Array([0.9, 0.1, 0]), new Float32Array([0.1, 0.9, 0])], ['x', 'y', 'z']);
    assert.deepEqual(unseen.perClass.z, { precision: 0, recall: 0, f1: 0, support: 0 });
    close(unseen.macroF1, 2 / 3);
  });

  it('rejects probabilities that do not fit the classes', () => {
    assert.throws(() => classifyMetrics([0], [[1, 0]], ['a', 'b', 'c']), RangeError);
    assert.throws(() => classifyMetrics([0, 1], [[1, 0]], ['a', 'b']), RangeError);
  });
});
