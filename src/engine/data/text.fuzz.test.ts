// Fuzzing the text decoder and the tokenizers: every byte sequence (random, invalid UTF-8, UTF-16 with and without BOM, NUL bytes, long lines) and any string as char and word tokens.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fuzzSurface } from '../../fuzzHelpers';
import { decodeText } from '../source';
import { countTokens, tokenize, UNKNOWN_TOKEN, Vocabulary, type WordTokenizer } from './text';

/** The largest input, in bytes or UTF-16 units. */
const MAX_BYTES = 64 * 1024;

/** The UTF-8 byte order mark. */
const UTF8_BOM = [0xef, 0xbb, 0xbf];

/** A lone surrogate, which no well-formed text holds. */
const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((unit) => String.fromCharCode(unit));

/** Any text: graphemes, any code point, control characters, lone surrogates, line breaks and the token `<unk>` itself. */
const anyText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 300 }),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: 'binary-ascii', maxLength: 300 }),
  fc.string({
    unit: fc.oneof(
      fc.constantFrom(' ', '  ', '\t', '\n', '\r\n', '\r', '\u2028', '\u00a0', '\ufeff', "'", '’', "'s", "'LL", 'ſt', UNKNOWN_TOKEN, 'e\u0301', '👍🏽', '١'),
      fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 8 }),
      loneSurrogate,
    ),
    maxLength: 200,
  }),
);

/** Whether a string has no lone surrogate (String.prototype.isWellFormed, outside the ES2022 library). */
function wellFormed(text: string): boolean {
  return !/\p{Cs}/u.test(text);
}

/** The UTF-16 code units of a string, as bytes in either order. */
function utf16Bytes(text: string, bigEndian: boolean): number[] {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    bytes.push(...(bigEndian ? [unit >> 8, unit & 0xff] : [unit & 0xff, unit >> 8]));
  }
  return bytes;
}

/** Damage to valid bytes: a stray continuation byte, a truncated sequence, an overlong form, an encoded surrogate, a byte never used, or a NUL. */
const damage = fc.constantFrom(
  [0x80],
  [0xc3],
  [0xe2, 0x82],
  [0xf0, 0x9f, 0x98],
  [0xc0, 0xaf],
  [0xed, 0xa0, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
  [0xff],
  [0xfe],
  [0x00],
);

/** Bytes spliced into others at some positions. */
function spliced(bytes: readonly number[], inserts: readonly (readonly [number, readonly number[]])[]): number[] {
  const out = [...bytes];
  for (const [at, insert] of inserts) out.splice(Math.floor(at * (out.length + 1)), 0, ...insert);
  return out;
}

/** A file's bytes and, when it is well-formed text, the text it holds; `malformed` when it is sure to be no valid text. */
interface EncodedFile {
  bytes: Uint8Array;
  text?: string;
  malformed?: boolean;
}

/** Files of every encoding: random bytes, UTF-8 (with BOM, damaged, with NULs), UTF-16 LE/BE with and without BOM, and long lines. */
const encodedFile: fc.Arbitrary<EncodedFile> = fc.oneof(
  fc.uint8Array({ maxLength: 2000 }).map((bytes) => ({ bytes })),
  fc.uint8Array({ minLength: 2, maxLength: 2000 }).map((bytes) => ({ bytes: Uint8Array.from([...(bytes[0] & 1 ? [0xff, 0xfe] : [0xfe, 0xff]), ...bytes]) })),
  fc.tuple(anyText, fc.boolean()).map(([text, bom]) => ({
    bytes: Uint8Array.from([...(bom ? UTF8_BOM : []), ...Buffer.from(text, 'utf8')]),
    text: wellFormed(text) ? text : undefined,
  })),
  fc
    .tuple(anyText, fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), damage), { minLength: 1, maxLength: 4 }))
    .map(([text, inserts]) => ({ bytes: Uint8Array.from(spliced([...Buffer.from(text, 'utf8')], inserts)) })),
  fc.tuple(anyText, fc.boolean(), fc.boolean(), fc.boolean()).map(([text, bigEndian, bom, oddByte]) => ({
    bytes: Uint8Array.from([...(bom ? (bigEndian ? [0xfe, 0xff] : [0xff, 0xfe]) : []), ...utf16Bytes(text, bigEndian), ...(oddByte ? [0x41] : [])]),
    text: bom && !oddByte && wellFormed(text) ? text : undefined,
    malformed: bom && (oddByte || !wellFormed(text)),
  })),
  fc
    .tuple(
      fc.integer({ min: 1, max: MAX_BYTES - 100 }),
      fc.constantFrom('a', 'é', '€', '𝄞', ' ', '\t'),
      fc.option(damage, { freq: 3 }),
      fc.constantFrom('\n', '\r\n', ''),
    )
    .map(([length, unit, broken, lineEnd]) => {
      const line = unit.repeat(Math.ceil(length / Buffer.byteLength(unit)));
      if (!broken) return { bytes: Uint8Array.from(Buffer.from(`${line}${lineEnd}end`, 'utf8')), text: `${line}${lineEnd}end` };
      return { bytes: Uint8Array.from([...Buffer.from(line, 'utf8'), ...broken, ...Buffer.from(`${lineEnd}end`, 'utf8')]) };
    }),
);

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
