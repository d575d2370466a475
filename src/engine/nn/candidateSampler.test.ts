// Checks the candidate sampler: inclusion probabilities as drawn, the expected sample size, seeding and the full vocabulary.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { Rng } from '../rng';
import { CandidateSampler } from './candidateSampler';

test('each class is sampled as often as its inclusion probability says, and samples hold `size` distinct classes on average', () => {
  const counts = Float64Array.from({ length: 200 }, (_, c) => Math.floor(5000 / (c + 1)));
  const sampler = new CandidateSampler(counts, { size: 40, power: 0.75 });
  const rng = new Rng(3);
  const samples = 4000;
  const seen = new Float64Array(200);
  const expected = new Float64Array(200);
  let distinct = 0;
  for (let i = 0; i < samples; i++) {
    const { ids, logInclusion } = sampler.sample(rng);
    distinct += ids.length;
    ids.forEach((c, s) => {
      if (s > 0) assert.ok(ids[s - 1] < c, 'ids are distinct and ascending');
      seen[c]++;
      expected[c] = Math.exp(logInclusion[s]);
    });
  }
  assert.ok(Math.abs(distinct / samples - 40) < 0.5, `mean sample size ${distinct / samples}, asked for 40`);
  for (let c = 0; c < 200; c += 7) {
    const p = expected[c];
    const sd = Math.sqrt((p * (1 - p)) / samples);
    assert.ok(Math.abs(seen[c] / samples - p) < 5 * sd + 1e-3, `class ${c}: sampled ${seen[c] / samples}, inclusion probability ${p}`);
  }
  assert.ok(expected[0] > 0.99 && expected[199] < 0.2, 'frequent classes are nearly always in, rare ones seldom');
});

test('the same seed gives the same samples; training ids are counted; a size of the whole vocabulary takes every class', () => {
  const ids = Uint16Array.from([0, 1, 1, 2, 2, 2, 3, 3, 3, 3, 9]);
  const a = CandidateSampler.fromIds(ids, 12, { size: 5, power: 1 });
  const b = CandidateSampler.fromIds(ids, 12, { size: 5, power: 1 });
  const [ra, rb] = [new Rng(8), new Rng(8)];
  for (let i = 0; i < 10; i++) assert.deepEqual(a.sample(ra), b.sample(rb));
  const every = CandidateSampler.fromIds(ids, 12, { size: 12, power: 1 }).sample(new Rng(1));
  assert.deepEqual([...every.ids], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  assert.deepEqual([...every.logInclusion], new Array(12).fill(0));
});
