// Unit tests for the naive Bayes and majority baselines of a classifier.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fitNaiveBayes, majorityProbs, NaiveBayes } from './naiveBayes';

/** Texts whose class is given by one keyword among shared filler words: sport, cooking or weather. */
function keywordTexts(count: number, offset: number): { texts: string[]; ids: number[] } {
  const keywords = [
    ['football', 'goal', 'referee'],
    ['recipe', 'oven', 'flour'],
    ['rain', 'forecast', 'cloudy'],
  ];
  const filler = ['the', 'a', 'today', 'was', 'really', 'about', 'we', 'talked', 'quite', 'some'];
  const texts: string[] = [];
  const ids: number[] = [];
  for (let i = offset; i < offset + count; i++) {
    const id = i % 3;
    const words = [0, 1, 2, 3].map((k) => filler[(i * 7 + k * 3) % filler.length]);
    words.splice(i % 4, 0, keywords[id][Math.floor(i / 3) % 3].toUpperCase());
    texts.push(words.join(' ') + '.');
    ids.push(id);
  }
  return { texts, ids };
}

describe('NaiveBayes', () => {
  const train = keywordTexts(90, 0);
  const test = keywordTexts(30, 1000);

  it('classifies a keyword data set almost perfectly, whatever the case', () => {
    const model = NaiveBayes.fit(train.texts, train.ids, 3);
    const correct = test.texts.filter((text, row) => {
      const p = model.predictProba(text.toLowerCase());
      return p.indexOf(Math.max(...p)) === test.ids[row];
    }).length;
    assert.ok(correct >= 29, `${correct} of 30 correct`);
  });

  it('gives probabilities that sum to 1, and the priors to a text of unseen words', () => {
    const model = NaiveBayes.fit(['good good', 'good', 'bad'], [0, 0, 1], 2);
    const p = model.predictProba('good');
    assert.ok(Math.abs(p[0] + p[1] - 1) < 1e-12 && p[0] > 0.5);
    const unseen = model.predictProba('zebra');
    assert.ok(Math.abs(unseen[0] - 2 / 3) < 1e-12);
  });

  it('smooths each count by alpha over the vocabulary of unigrams and bigrams', () => {
    // Features: "good", "good good" (class 0: good ×3, "good good" ×1 → 4 in all); "bad" (class 1). Vocabulary 3.
    const model = NaiveBayes.fit(['good good', 'good', 'bad'], [0, 0, 1], 2, 0.5);
    const p = model.predictProba('bad');
    const class0 = (2 / 3) * (0.5 / (4 + 1.5));
    const class1 = (1 / 3) * (1.5 / (1 + 1.5));
    assert.ok(Math.abs(p[1] - class1 / (class0 + class1)) < 1e-12);
  });

  it('saves and loads its counts with the same probabilities, and refuses a damaged file', () => {
    const model = NaiveBayes.fit(train.texts, train.ids, 3, 0.3);
    const loaded = NaiveBayes.fromJSON(JSON.parse(JSON.stringify(model.toJSON())));
    assert.equal(loaded.alpha, 0.3);
    for (const text of [...test.texts, 'zebra']) assert.deepEqual(loaded.predictProba(text), model.predictProba(text));
    const file = model.toJSON();
    assert.throws(() => NaiveBayes.fromJSON({ ...file, totals: [1] }), /not a naive-Bayes model/);
    assert.throws(() => NaiveBayes.fromJSON({ ...file, features: { good: [1] } }), /feature "good" has 1 counts for 3 classes/);
  });

  it('gives log scores whose softmax is its probabilities', () => {
    const model = NaiveBayes.fit(train.texts, train.ids, 3);
    const scores = model.logScores(test.texts[0]);
    const total = scores.reduce((sum, s) => sum + Math.exp(s - scores[0]), 0);
    assert.ok(Math.abs(model.predictProba(test.texts[0])[0] - 1 / total) < 1e-12);
  });

  it('chooses a smoothing from 0.1, 0.3 and 1 on the validation rows', () => {
    const val = keywordTexts(30, 500);
    const model = fitNaiveBayes(train.texts, train.ids, val.texts, val.ids, 3);
    assert.ok([0.1, 0.3, 1].includes(model.alpha));
    assert.equal(fitNaiveBayes(train.texts, train.ids, [], [], 3).alpha, 1);
  });
});

describe('majorityProbs', () => {
  it('gives the training share of each class', () => {
    assert.deepEqual(majorityProbs([1, 1, 1, 0], 3), [0.25, 0.75, 0]);
  });
});
