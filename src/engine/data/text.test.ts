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

test('word tokens carry their leading space, split off punctuation and contractions, and decode to the text', () => {
  assert.deepEqual([...tokenize('Go home!', 'word')], ['Go', ' home', '!']);
  assert.deepEqual(
    [...tokenize("I'll go, o'er the king's hill.\n\nWe know't. 'Tis", 'word')],
    ['I', "'ll", ' go', ',', " o'er", ' the', ' king', "'s", ' hill', '.', '\n', '\n', 'We', ' know', "'t", '.', " '", 'Tis'],
  );
  assert.deepEqual([...tokenize('  if (x)  {\r\n\tcall 42 \n', 'word')], [' ', ' if', ' (', 'x', ')', ' ', ' {', '\r\n', '\t', 'call', ' 4', '2', ' ', '\n']);
  const text = "It's late, Anna said.\n\nGo home!  Don’t — café 1599\n";
  const vocab = Vocabulary.fromText(text, 'word', 100);
  assert.equal(vocab.decode(vocab.encode(text)), text);
});

test('word tokenizer 1 (runs made before version 2) still splits white-space runs off', () => {
  assert.deepEqual([...tokenize("Go  home, it's\n\n", 'word', 1)], ['Go', '  ', 'home', ',', ' ', "it's", '\n\n']);
  const old = new Vocabulary([UNKNOWN_TOKEN, ' ', 'Go', 'home'], 'word', 1);
  assert.deepEqual([...old.encode('Go home')], [2, 1, 3]);
});

test('the vocabulary keeps the most frequent tokens when capped', () => {
  const vocab = Vocabulary.fromText('aaaabbbcc d', 'char', 3);
  assert.deepEqual(vocab.tokens, [UNKNOWN_TOKEN, 'a', 'b']);
});

test('a long word text leaves words seen once out of the vocabulary and says how many and what share of the tokens', () => {
  const text = 'The cat sat on the mat.\n'.repeat(4000) + 'Zebra quagga okapi.\n';
  const corpus = prepareTextCorpus(text, { ...args, tokens: 'word' });
  assert.deepEqual(corpus.vocab.tokens, [UNKNOWN_TOKEN, '\n', ' cat', ' mat', ' on', ' sat', ' the', '.', 'The']);
  assert.equal(corpus.vocab.decode(corpus.ids.subarray(-5)), `${UNKNOWN_TOKEN}${UNKNOWN_TOKEN}${UNKNOWN_TOKEN}.\n`);
  assert.match(
    corpus.notes[0],
    /^Vocabulary: 8 of 11 distinct word tokens kept \(seen at least 2 times\); the other 3 read as <unk>, 0\.0094% of the tokens\.$/,
  );
  const short = prepareTextCorpus('The cat sat on the mat. Zebra quagga okapi.', { ...args, tokens: 'word' });
  assert.equal(short.vocab.countUnknown(' Zebra quagga okapi.'), 0);
  assert.deepEqual(
    short.notes.filter((note) => note.startsWith('Vocabulary')),
    [],
  );
});

test('a capped vocabulary names the cap, and a trained vocabulary notes the tokens it does not know', () => {
  const capped = prepareTextCorpus('aaaabbbcc d', { ...args, maxVocab: 3 });
  assert.match(
    capped.notes[0],
    /^Vocabulary: 2 of 5 distinct char tokens kept \(the 2 most frequent, --max-vocab 3\); the other 3 read as <unk>, 36% of the tokens\.$/,
  );
  const reused = prepareTextCorpus('abcabcabcabcabcabcabcxyz', args, capped.vocab);
  assert.match(reused.notes[0], /^10 of the text's 24 tokens \(42%\) are not in the run's vocabulary and read as <unk>\.$/);
});

test('a prompt holds back a last word or space that a token may extend, and lists its unknown tokens', () => {
  const vocab = Vocabulary.fromText('The king is kind.\nThe kind king is here.\n', 'word', 100);
  assert.deepEqual(vocab.encodePrompt('The ki', 64), { ids: [vocab.id('The')], unknown: [], heldBack: ' ki' });
  assert.deepEqual(vocab.encodePrompt('The Florizel is ', 64), { ids: [vocab.id('The'), 0, vocab.id(' is')], unknown: [' Florizel'], heldBack: ' ' });
  assert.deepEqual(vocab.encodePrompt('The king.\n', 2), { ids: [vocab.id('.'), vocab.id('\n')], unknown: [], heldBack: '' });
  assert.deepEqual(vocab.encodePrompt('The Florizel', 64), { ids: [vocab.id('The'), 0], unknown: [' Florizel'], heldBack: '' });
  assert.equal(Vocabulary.fromText('hello', 'char', 10).encodePrompt('hel', 64).heldBack, '');
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

test('a held-out split shorter than one window is one shorter window, read no further than its end', () => {
  const corpus = prepareTextCorpus('abcdefghijklmnopqrstuvwxyz'.repeat(40), { ...args, seqLen: 10 });
  const short = { ...corpus, ids: corpus.ids.subarray(0, corpus.valStart + 5) };
  const batches = [...validationBatches(short, 3, 1_000_000)];
  assert.equal(batches.length, 1);
  assert.deepEqual([batches[0].batch, batches[0].seqLen], [1, 4]);
  assert.deepEqual([...batches[0].inputs], [...short.ids.subarray(short.valStart, short.valStart + 4)]);
  assert.deepEqual([...batches[0].targets], [...short.ids.subarray(short.valStart + 1)]);
  assert.deepEqual([...validationBatches({ ...corpus, ids: corpus.ids.subarray(0, corpus.valStart + 1) }, 3, 100)], [], 'no target, no window');
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
