// Tests of the sampling rules without a model: top-p's limits, the repetition penalty on recent words, the stop modes, option checks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Vocabulary } from './data/text';
import { Rng } from './rng';
import { chooseToken, nextTokenDistribution, repeatedTokens, sampleTokens, type SamplingArgs } from './sampling';
import { GENERATE_DEFAULTS, REPETITION_WINDOW } from '../shared/options';

const CHARS = new Vocabulary(['<unk>', '\n', ' ', ',', 'a', 'c', 'd', 'e', 'g', 'h', 'i', 'l', 'n', 'o', 'r', 's', 't', 'w'], 'char');
const WORDS = new Vocabulary(['<unk>', ' ', ',', 'cat', 'sat', 'the'], 'word');
/** Word tokens that carry the space before them, as GPT-2's pre-tokenizer cuts them. */
const SPACED_WORDS = new Vocabulary(['<unk>', '\n', ' cat', ' sat', ' the', ',', 'The'], 'word');
const PLAIN: SamplingArgs = { temperature: 1, topK: 0, topP: 1, repetitionPenalty: 1 };
const ids = (text: string) => [...text].map((c) => CHARS.id(c));
const tokens = (vocab: Vocabulary, set: Set<number>) => [...set].map((id) => vocab.tokens[id]).sort();

/** A random distribution over `size` tokens. */
function randomProbs(rng: Rng, size: number): Float32Array {
  const weights = Array.from({ length: size }, () => rng.next() ** 3);
  const total = weights.reduce((a, b) => a + b, 0);
  return Float32Array.from(weights, (w) => w / total);
}

/** A model that reads nothing: after each token it puts nearly all its probability on the next token of `script`. */
function scripted(vocab: Vocabulary, script: readonly string[]): { first: Float32Array; read: () => Float32Array } {
  let at = 0;
  const onNext = () => {
    const probs = new Float32Array(vocab.size).fill(0.001);
    probs[vocab.id(script[at++ % script.length])] = 1;
    return probs;
  };
  return { first: onNext(), read: onNext };
}

test('top-p near 0 picks what greedy picks, at any temperature and with the penalty', () => {
  const rng = new Rng(3);
  for (let trial = 0; trial < 200; trial++) {
    const probs = randomProbs(rng, 12);
    const penalized = new Set([1 + (trial % 11)]);
    const greedy = chooseToken(probs, { ...PLAIN, temperature: 0, repetitionPenalty: 2 }, rng, penalized);
    for (const topP of [0, 1e-9, 0.01]) {
      for (const temperature of [0.5, 1, 2])
        assert.equal(
          chooseToken(probs, { ...PLAIN, temperature, topP, repetitionPenalty: 2 }, new Rng(trial), penalized),
          greedy,
          `trial ${trial}, p ${topP}, T ${temperature}`,
        );
    }
  }
});

test('top-p = 1 at temperature 1 keeps the whole distribution (without the unknown token), and draws follow it', () => {
  const probs = Float32Array.from([0.2, 0.4, 0.25, 0.1, 0.05]);
  const { ids: kept, probs: keptProbs } = nextTokenDistribution(probs, PLAIN, new Set());
  assert.deepEqual(kept, [1, 2, 3, 4]);
  keptProbs.forEach((p, i) => assert.ok(Math.abs(p - probs[kept[i]] / 0.8) < 1e-6, `token ${kept[i]}: ${p}`));
  const rng = new Rng(11);
  const counts = new Array(probs.length).fill(0);
  const draws = 40_000;
  for (let i = 0; i < draws; i++) counts[chooseToken(probs, PLAIN, rng)]++;
  assert.equal(counts[0], 0, 'the unknown token is never drawn');
  for (const id of kept) assert.ok(Math.abs(counts[id] / draws - probs[id] / 0.8) < 0.01, `token ${id}: ${counts[id] / draws}`);
});

test('top-p keeps the smallest set of most likely tokens that reaches p', () => {
  const probs = Float32Array.from([0, 0.5, 0.3, 0.15, 0.05]);
  assert.deepEqual(nextTokenDistribution(probs, { ...PLAIN, topP: 0.5 }, new Set()).ids, [1]);
  assert.deepEqual(nextTokenDistribution(probs, { ...PLAIN, topP: 0.6 }, new Set()).ids, [1, 2]);
  assert.deepEqual(nextTokenDistribution(probs, { ...PLAIN, topP: 0.9 }, new Set()).ids, [1, 2, 3]);
  const nucleus = nextTokenDistribution(probs, { ...PLAIN, topP: 0.6 }, new Set());
  assert.ok(Math.abs(nucleus.probs[0] - 0.625) < 1e-6, 'renormalised');
});

test('the unknown token is never produced, even when the model is sure of it', () => {
  const probs = Float32Array.from([0.97, 0.02, 0.01]);
  assert.equal(chooseToken(probs, { ...PLAIN, temperature: 0 }, new Rng(1)), 1);
  for (let seed = 0; seed < 200; seed++) assert.notEqual(chooseToken(probs, PLAIN, new Rng(seed)), 0);
});

test("the repetition penalty lowers a penalised token's probability, and leaves the others' order", () => {
  const probs = Float32Array.from([0, 0.6, 0.3, 0.1]);
  const before = nextTokenDistribution(probs, PLAIN, new Set([1]));
  const after = nextTokenDistribution(probs, { ...PLAIN, repetitionPenalty: 2 }, new Set([1]));
  const chance = (d: { ids: number[]; probs: number[] }, id: number) => d.probs[d.ids.indexOf(id)];
  assert.ok(chance(after, 1) < chance(before, 1) - 0.1, `${chance(before, 1)} → ${chance(after, 1)}`);
  assert.ok(chance(after, 2) > chance(before, 2));
  assert.deepEqual(
    after.ids.filter((id) => id !== 1),
    [2, 3],
  );
});

test('with characters, the penalty follows the spelling of recent words, not every recent letter or space', () => {
  // At a word's start: the first letters of the recent words.
  assert.deepEqual(tokens(CHARS, repeatedTokens(ids('the cat sat on '), CHARS)), ['c', 'o', 's', 't']);
  // Inside a word: the next letter of the recent words spelt so far ("the"), not of unrelated ones.
  assert.deepEqual(tokens(CHARS, repeatedTokens(ids('the cat sat on th'), CHARS)), ['e']);
  // A recent word spelt out: what ended it, so that the word as a whole is penalised.
  assert.deepEqual(tokens(CHARS, repeatedTokens(ids('the cat, the'), CHARS)), [' ']);
  assert.deepEqual(tokens(CHARS, repeatedTokens(ids('a cat, cat'), CHARS)), [',']);
  // Nothing recent starts like "sh".
  assert.deepEqual(tokens(CHARS, repeatedTokens(ids('the cat sh'), CHARS)), []);
});

test('the penalty looks back over the last REPETITION_WINDOW tokens only, and skips a word cut by the window', () => {
  const spaces = (n: number) => ' '.repeat(n);
  assert.deepEqual(tokens(CHARS, repeatedTokens(ids('cat' + spaces(REPETITION_WINDOW - 5) + 'ca'), CHARS)), ['t'], '"cat" inside the window');
  assert.deepEqual(tokens(CHARS, repeatedTokens(ids('cat' + spaces(REPETITION_WINDOW) + 'ca'), CHARS)), [], '"cat" out of the window');
  assert.deepEqual(
    tokens(CHARS, repeatedTokens(ids('cat' + spaces(REPETITION_WINDOW - 3) + 'a'), CHARS)),
    [],
    'the window starts inside "cat": "at" is no word',
  );
});

test('with words, the penalty applies to recent word tokens, never to white space or punctuation', () => {
  const history = ['the', ' ', 'cat', ',', ' ', 'the', ' '].map((t) => WORDS.id(t));
  assert.deepEqual(tokens(WORDS, repeatedTokens(history, WORDS)), ['cat', 'the']);
  const spaced = ['The', ' cat', ',', ' the', '\n'].map((t) => SPACED_WORDS.id(t));
  assert.deepEqual(tokens(SPACED_WORDS, repeatedTokens(spaced, SPACED_WORDS)), [' cat', ' the', 'The']);
});

test('the repetition penalty breaks a greedy loop into varied words, and letters and spaces still follow', () => {
  // After a space the model starts one of its words, "the" most likely; within a word it spells that word, then a space.
  const vocabulary: [string, number][] = [
    ['the', 0.2],
    ['and', 0.15],
    ['cow', 0.12],
    ['sir', 0.11],
    ['wig', 0.1],
    ['lid', 0.09],
    ['new', 0.08],
    ['old', 0.07],
    ['rag', 0.05],
    ['den', 0.03],
  ];
  const model = () => {
    let spelt = '';
    return (id: number) => {
      spelt = CHARS.tokens[id] === ' ' ? '' : spelt + CHARS.tokens[id];
      const probs = new Float32Array(CHARS.size).fill(0.001);
      if (spelt === '') for (const [word, p] of vocabulary) probs[CHARS.id(word[0])] = p;
      else probs[CHARS.id(vocabulary.find(([word]) => word.startsWith(spelt))?.[0][spelt.length] ?? ' ')] = 0.9;
      return probs;
    };
  };
  const words = (repetitionPenalty: number) => {
    const read = model();
    const text = CHARS.decode(
      sampleTokens(ids('so '), read(CHARS.id(' ')), read, CHARS, { ...GENERATE_DEFAULTS, length: 200, temperature: 0, topK: 0, seed: 1, repetitionPenalty }),
    );
    return text.split(' ').slice(0, -1);
  };
  const plain = words(1);
  const penalized = words(2);
  assert.deepEqual(new Set(plain), new Set(['the']));
  const share = penalized.filter((word) => word === 'the').length / penalized.length;
  assert.ok(new Set(penalized).size >= 5 && share < 0.5, `${(share * 100).toFixed(0)}% "the": ${penalized.join(' ')}`);
  assert.ok(
    penalized.every((word) => vocabulary.some(([known]) => known === word)),
    `only the model's words: ${penalized.join(' ')}`,
  );
});

test('--stop word ends before the first white space after the minimum length; line before the first line end', () => {
  const generate = (script: string, stop: 'none' | 'word' | 'line', minLength: number, length = 30) => {
    const { first, read } = scripted(CHARS, [...script]);
    return CHARS.decode(sampleTokens(ids('so '), first, read, CHARS, { ...GENERATE_DEFAULTS, length, temperature: 0, topK: 0, seed: 1, stop, minLength }));
  };
  assert.equal(generate('hello world again ', 'word', 7), 'hello world');
  assert.equal(generate('hello world again ', 'word', 1), 'hello');
  assert.equal(generate(' \nhello world ', 'word', 1), ' \nhello', 'leading white space does not end it');
  assert.equal(generate('hello world\nagain\n', 'line', 1), 'hello world');
  assert.equal(generate('hello world\nagain\n', 'line', 13), 'hello world\nagain');
  assert.equal(generate('hello world ', 'none', 1, 14), 'hello world he');
  assert.equal(generate('helloworldagain', 'word', 1, 8), 'hellowor', 'at most the length');
});

test('--stop word ends where a word token carrying its space starts', () => {
  const generate = (stop: 'word' | 'line', minLength: number) => {
    const { first, read } = scripted(SPACED_WORDS, ['The', ' cat', ' sat', ',', ' the', '\n', ' the']);
    return SPACED_WORDS.decode(
      sampleTokens([SPACED_WORDS.id('\n')], first, read, SPACED_WORDS, { ...GENERATE_DEFAULTS, length: 20, temperature: 0, topK: 0, seed: 1, stop, minLength }),
    );
  };
  assert.equal(generate('word', 2), 'The cat');
  assert.equal(generate('word', 3), 'The cat sat,');
  assert.equal(generate('line', 1), 'The cat sat, the');
});
