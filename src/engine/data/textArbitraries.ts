// Generated files of every encoding for fuzzing: random bytes, UTF-8 with a BOM or damaged, UTF-16 in both orders with and without a BOM, NUL bytes and long lines.
import fc from 'fast-check';
import { UNKNOWN_TOKEN } from './text';

/** The largest input, in bytes or UTF-16 units. */
export const MAX_BYTES = 64 * 1024;

/** The UTF-8 byte order mark. */
const UTF8_BOM = [0xef, 0xbb, 0xbf];

/** A lone surrogate, which no well-formed text holds. */
const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((unit) => String.fromCharCode(unit));

/** Any text: graphemes, any code point, control characters, lone surrogates, line breaks and the token `<unk>` itself. */
export const anyText = fc.oneof(
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
export function wellFormed(text: string): boolean {
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
export interface EncodedFile {
  bytes: Uint8Array;
  text?: string;
  malformed?: boolean;
}

/** Files of every encoding: random bytes, UTF-8 (with BOM, damaged, with NULs), UTF-16 LE/BE with and without BOM, and long lines. */
export const encodedFile: fc.Arbitrary<EncodedFile> = fc.oneof(
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
