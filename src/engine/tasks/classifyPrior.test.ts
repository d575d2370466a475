// Unit tests of the naive-Bayes prior: out-of-fold scores, the temperature fitted on them, and its log-probabilities.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { NaiveBayes } from '../eval/naiveBayes';
import { Rng } from '../rng';
import { fitPrior, priorLogProbs } from './classifyPrior';

/** Index of the largest value. */
function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let k = 1; k < values.length; k++) if (values[k] > values[best]) best = k;
  return best;
}

/** Texts of words seen nowhere else, with random labels: naive Bayes memorises the training rows and knows nothing of new ones. */
function uniqueWordRows(count: number): { texts: string[]; ids: number[] } {
  const rng = new Rng(3);
  return { texts: Array.from({ length: count }, (_, row) => `w${row}a w${row}b w${row}c`), ids: Array.from({ length: count }, () => rng.int(2)) };
}

/** Texts of one keyword repeated, its class, with a share of the labels flipped: naive Bayes is far too sure of them. */
function noisyKeywordRows(count: number, flipped: number): { texts: string[]; ids: number[] } {
  const rng = new Rng(4);
  const texts: string[] = [];
  const ids: number[] = [];
  for (let row = 0; row < count; row++) {
    const id = row % 2;
    texts.push(Array.from({ length: 8 }, () => (id === 0 ? 'good' : 'bad')).join(' '));
    ids.push(rng.next() < flipped ? 1 - id : id);
  }
  return { texts, ids };
}

describe('fitPrior', () => {
  it('scores each training row out of fold: memorised rows get the class shares, not the certainty of the fitted model', () => {
    const { texts, ids } = uniqueWordRows(200);
    const bayes = NaiveBayes.fit(texts, ids, 2);
    const inSample = texts.filter((text, row) => argmax(bayes.predictProba(text)) === ids[row]).length;
    assert.equal(inSample, 200, 'the fitted model knows every training row');
    const { outOfFold, scale } = fitPrior(bayes, texts, ids, 2, 1);
    assert.equal(outOfFold.length, 200);
    const share = ids.filter((id) => id === 1).length / 200;
    for (const logp of outOfFold) {
      assert.ok(Math.abs(Math.exp(logp[0]) + Math.exp(logp[1]) - 1) < 1e-5, 'log-probabilities');
      assert.ok(Math.abs(Math.exp(logp[1]) - share) < 0.15, `${Math.exp(logp[1])} is near the class share ${share}`);
    }
    assert.ok(scale < 1.5, `scale ${scale}`);
  });

  it('tempers an overconfident naive Bayes: the scale is below 1 and the prior matches the label noise', () => {
    const { texts, ids } = noisyKeywordRows(400, 0.1);
    const bayes = NaiveBayes.fit(texts, ids, 2);
    assert.ok(bayes.predictProba('good good good good good good good good')[0] > 0.99, 'naive Bayes is overconfident');
    const prior = fitPrior(bayes, texts, ids, 2, 1);
    assert.ok(prior.scale > 0 && prior.scale < 0.5, `scale ${prior.scale}`);
    const good = Math.exp(priorLogProbs(prior, texts[0])[0]);
    assert.ok(good > 0.8 && good < 0.97, `p(good) ${good} is near the 90% of rows labelled so`);
    // The same seed gives the same folds and scale.
    assert.equal(fitPrior(bayes, texts, ids, 2, 1).scale, prior.scale);
  });

  it('keeps a class missing from a fold finite, and works with fewer rows than folds', () => {
    const texts = ['good day', 'bad day', 'good', 'bad', 'rare'];
    const ids = [0, 1, 0, 1, 2];
    const prior = fitPrior(NaiveBayes.fit(texts, ids, 3), texts, ids, 3, 2);
    for (const logp of prior.outOfFold) for (const value of logp) assert.ok(Number.isFinite(value) && value >= -30, `${value}`);
    assert.ok(Number.isFinite(prior.scale));
  });
});
