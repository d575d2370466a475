// Tests of placing the engine's tokens in the document: the tokens inside a span (clipped, found from the text read's base), ranges merged per bucket without line breaks, and the token at an offset.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bucketRanges, tokenAt, tokensIn, type ReadTokens } from './tokenRanges';

/** Character tokens of `text`, read from document offset `base`. */
function chars(text: string, base = 0): ReadTokens {
  return { tokens: [...text], offsets: [...text].map((_, i) => i), base };
}

test('the tokens inside a span, from a text read at an offset of the document, clipped to the span', () => {
  const read: ReadTokens = { tokens: ['The', ' river', ' is', '\n', 'high'], offsets: [0, 3, 9, 12, 13], base: 100 };
  assert.deepEqual(tokensIn(read, { start: 105, end: 112 }), [
    { index: 1, start: 105, end: 109 },
    { index: 2, start: 109, end: 112 },
  ]);
  assert.deepEqual(
    tokensIn(read, { start: 0, end: 1000 }).map((t) => t.index),
    [0, 1, 2, 3, 4],
  );
  assert.deepEqual(tokensIn(read, { start: 0, end: 100 }), [], 'before the text read');
  assert.deepEqual(tokensIn(read, { start: 117, end: 200 }), [], 'after it');
  assert.deepEqual(tokensIn(read, { start: 116, end: 117 }), [{ index: 4, start: 116, end: 117 }]);
});

test('the token at an offset: the one that covers it, none outside the text read', () => {
  const read: ReadTokens = { tokens: ['ab', ' cd', '\n'], offsets: [0, 2, 5], base: 10 };
  assert.deepEqual(
    [9, 10, 11, 12, 14, 15, 16].map((offset) => tokenAt(read, offset)),
    [undefined, 0, 0, 1, 1, 2, undefined],
  );
});

test('ranges per bucket: neighbours of one bucket merge, a bucket 0 or a line break ends a range and gets none', () => {
  const text = 'aabb\nbbc a';
  const buckets: Record<string, number> = { a: 2, b: -1, c: 0, ' ': 2, '\n': 3 };
  const read = chars(text, 50);
  const placed = tokensIn(read, { start: 50, end: 60 });
  const ranges = bucketRanges(placed, read.tokens, (i) => buckets[read.tokens[i]]);
  assert.deepEqual(Object.fromEntries(ranges), {
    2: [
      { start: 50, end: 52 },
      { start: 58, end: 60 },
    ],
    '-1': [
      { start: 52, end: 54 },
      { start: 55, end: 57 },
    ],
  });
});

test('a surrogate pair is one token of two code units, coloured whole; a CRLF is left out', () => {
  const text = 'a😀b\r\nc';
  const tokens = ['a', '😀', 'b', '\r', '\n', 'c'];
  const read: ReadTokens = { tokens, offsets: [0, 1, 3, 4, 5, 6], base: 0 };
  assert.equal(tokens.join(''), text);
  const ranges = bucketRanges(tokensIn(read, { start: 0, end: text.length }), tokens, () => 1);
  assert.deepEqual(ranges.get(1), [
    { start: 0, end: 4 },
    { start: 6, end: 7 },
  ]);
});
