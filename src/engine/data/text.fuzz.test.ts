// Fuzzing the text decoder and the tokenizers: every byte sequence (random, invalid UTF-8, UTF-16 with and without BOM, NUL bytes, long lines) and any string as char and word tokens.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fuzzSurface } from '../../fuzzHelpers';
import { decodeText } from '../source';
import { countTokens, tokenize, UNKNOWN_TOKEN, Vocabulary, type WordTokenizer } from './text';
import { anyText, encodedFile, MAX_BYTES, wellFormed, type EncodedFile } from './textArbitraries';

/** The text a well-formed file should decode to; undefined when it is not well-formed or starts with U+FEFF (read as a byte order mark). */
function expectedText(file: EncodedFile): string | undefined {
  return file.text?.startsWith('\ufeff') ? undefined : file.text;
}

fuzzSurface(
  'text decoder: every byte sequence',
  encodedFile,
  (file) => decodeText(file.bytes, 'data.txt'),
  (file, outcome) => {
    if (!outcome.ok) {
      assert.match(outcome.message, /^data\.txt /, 'a refusal names the file');
      return;
    }
    assert.ok(!file.malformed, 'invalid UTF-16 after a byte order mark is refused');
    const text = decodeText(file.bytes, 'data.txt');
    assert.ok(text.trim() !== '', 'a decoded text is not empty or only white space');
    assert.ok(wellFormed(text), 'a decoded text has no lone surrogates');
    const expected = expectedText(file);
    if (expected !== undefined) assert.equal(text, expected, 'well-formed text decodes to itself');
  },
);

/** A long text: a short piece repeated up to 64 K units (long white-space runs, words, apostrophes, line breaks), for the tokenizers' speed. */
const longText = fc
  .tuple(
    fc.oneof(fc.constantFrom(' ', '\t ', "a'", "a's ", "'s", 'ab ', '\r\n', '1', ' \u0301', '👍'), fc.string({ minLength: 1, maxLength: 6 })),
    fc.integer({ min: 1, max: MAX_BYTES }),
  )
  .map(([piece, length]) => piece.repeat(Math.ceil(length / piece.length)).slice(0, length) + 'x');

/** Any text with a tokenizer: char, or word with either version. */
const tokenized = fc.tuple(
  fc.oneof({ weight: 4, arbitrary: anyText }, { weight: 1, arbitrary: longText }),
  fc.constantFrom<['char' | 'word', WordTokenizer]>(['char', 2], ['word', 1], ['word', 2]),
);

fuzzSurface(
  'tokenizer: any string as char and word tokens',
  tokenized,
  ([text, [kind, version]]) => [...tokenize(text, kind, version)],
  ([text, [kind, version]], outcome) => {
    if (!outcome.ok) return;
    const tokens = [...tokenize(text, kind, version)];
    // Both tokenizers' contract: the tokens, concatenated, are the text; none is empty; a char token is one code point.
    assert.equal(tokens.join(''), text, 'the tokens joined give back the text');
    assert.ok(
      tokens.every((token) => token !== ''),
      'no token is empty',
    );
    if (kind === 'char') assert.ok(tokens.length === [...text].length && tokens.every((token) => [...token].length === 1), 'char tokens are code points');
    if (version === 2) {
      const counts = countTokens(text, kind);
      assert.equal(
        [...counts.values()].reduce((sum, count) => sum + count, 0),
        tokens.length,
        'the counts add up to the tokens',
      );
    }
  },
);

/** A text, a token kind and a vocabulary size from the smallest allowed (2) to one that keeps every token. */
const vocabularyInput = fc.tuple(
  anyText,
  fc.constantFrom<'char' | 'word'>('char', 'word'),
  fc.oneof(fc.integer({ min: 2, max: 20 }), fc.constant(100_000)),
  anyText,
);

fuzzSurface(
  'vocabulary: built from any string, encoding texts and prompts',
  vocabularyInput,
  ([text, kind, maxSize, prompt]) => {
    const vocab = Vocabulary.fromText(text, kind, maxSize);
    vocab.encode(prompt);
    vocab.encodePrompt(prompt, 16);
  },
  ([text, kind, maxSize, prompt], outcome) => {
    if (!outcome.ok) return;
    const vocab = Vocabulary.fromText(text, kind, maxSize);
    assert.ok(vocab.size <= maxSize && vocab.tokens[0] === UNKNOWN_TOKEN, 'the vocabulary keeps at most maxSize tokens, <unk> first');
    const ids = vocab.encode(text);
    assert.ok(
      ids.every((id) => id < vocab.size),
      'every id is in the vocabulary',
    );
    assert.equal(ids.filter((id) => id === 0).length, vocab.countUnknown(text), 'the unknown tokens are the ids 0');
    if (vocab.size - 1 === countTokens(text, kind).size) assert.equal(vocab.decode(ids), text, 'a vocabulary of every token decodes its text back');
    const encoded = vocab.encodePrompt(prompt, 16);
    assert.ok(encoded.ids.length <= 16 && encoded.ids.every((id) => id < vocab.size), 'a prompt keeps at most its last 16 ids');
  },
);
