// Tests for text tokenising, the vocabulary, splits and batches.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prepareTextCorpus, sampleTextBatch, tokenize, validationBatches, Vocabulary, UNKNOWN_TOKEN } from './text';
import { Rng } from '../rng';

const args = { tokens: 'char' as const, maxVocab: 1000, seqLen: 64, val: 0.1 };

test('char vocabulary round-trips text and maps unseen characters to the unknown token', () => {
  const vocab = Vocabulary.fromText('hello', 'char', 100);
  assert.deepEqual(vocab.tokens, [UNKNOWN_TOKEN, 'e', 'h', 'l', 'o']);
  assert.equal(vocab.decode(vocab.encode('hello')), 'hello');
  assert.deepEqual([...vocab.encode('help')], [2, 1, 3, 0]);
  assert.equal(vocab.countUnknown('help!'), 2);
});

test('word tokens keep white space and punctuation so that decoding restores the text', () => {
  const text = "It's late, Anna said.\n\nGo home!";
  assert.deepEqual([...tokenize('Go home!', 'word')], ['Go', ' ', 'home', '!']);
  const vocab = Vocabulary.fromText(text, 'word', 100);
  assert.equal(vocab.decode(vocab.encode(text)), text);
});

test('the vocabulary keeps the most frequent tokens when capped', () => {
  const vocab = Vocabulary.fromText('aaaabbbcc d', 'char', 3);
  assert.deepEqual(vocab.tokens, [UNKNOWN_TOKEN, 'a', 'b']);
});

test('"hello" validates on its training text and shrinks the sequence length, saying so', () => {
  const corpus = prepareTextCorpus('hello', args);
  assert.equal(corpus.seqLen, 4);
  assert.equal(corpus.trainEnd, 5);
  assert.equal(corpus.valStart, 0);
  assert.equal(corpus.notes.length, 2);
  assert.match(corpus.notes[1], /shrunk from 64 to 4/);
});

test('a text of one token is refused with a clear message', () => {
  assert.throws(() => prepareTextCorpus('a', args), /needs at least 2/);
});

test('the split is contiguous: validation is the end of the text, and training batches never touch it', () => {
  const text = 'ab'.repeat(450) + 'xy'.repeat(50);
  const corpus = prepareTextCorpus(text, { ...args, seqLen: 8 });
  assert.equal(corpus.trainEnd, 900);
  assert.equal(corpus.valStart, 900);
  const first = validationBatches(corpus, 4, 10_000).next().value;
  assert.ok(first);
  assert.equal(corpus.vocab.decode(first.inputs.subarray(0, 8)), 'xyxyxyxy');
  const rng = new Rng(5);
  for (let i = 0; i < 50; i++) {
    const batch = sampleTextBatch(corpus, 32, rng);
    assert.doesNotMatch(corpus.vocab.decode(batch.inputs) + corpus.vocab.decode(batch.targets), /[xy]/);
  }
});

test('training batches are windows with next-token targets', () => {
  const text = 'abcdefghijklmnopqrstuvwxyz'.repeat(40);
  const corpus = prepareTextCorpus(text, { ...args, seqLen: 8 });
  const batch = sampleTextBatch(corpus, 16, new Rng(3));
  assert.equal(batch.inputs.length, 16 * 8);
  for (let i = 0; i < batch.inputs.length; i++) {
    const input = corpus.vocab.tokens[batch.inputs[i]];
    assert.equal(corpus.vocab.tokens[batch.targets[i]], text[text.indexOf(input) + 1]);
    if (i % 8 < 7) assert.equal(batch.inputs[i + 1], batch.targets[i]);
  }
});

test('validation batches cover each held-out target once, in order, up to the limit', () => {
  const text = 'abcdefghijklmnopqrstuvwxyz'.repeat(40);
  const corpus = prepareTextCorpus(text, { ...args, seqLen: 10 });
  const targets: number[] = [];
  for (const batch of validationBatches(corpus, 3, 1_000_000)) targets.push(...batch.targets);
  const held = corpus.ids.subarray(corpus.valStart + 1, corpus.valStart + 1 + targets.length);
  assert.deepEqual(targets, [...held]);
  assert.equal(targets.length, Math.floor((corpus.ids.length - corpus.valStart - 1) / 10) * 10);
  let limited = 0;
  for (const batch of validationBatches(corpus, 3, 25)) limited += batch.targets.length;
  assert.equal(limited, 30);
});
