// Reads the training data (a file, a literal text or stdin) as text, refusing what cannot be text.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as crypto from 'node:crypto';
import { UsageError } from '../shared/options';
import type { DataSource } from '../shared/runFolder';

/** The largest data file read, in bytes: text needs about 4 bytes of memory per byte of input. */
export const MAX_DATA_BYTES = 256 * 1024 * 1024;

/** Where to read the data from: exactly one of these. */
export interface SourceArgs {
  /** A path, or `-` for stdin. */
  file?: string;
  /** A literal text (the editor selection). */
  text?: string;
}

/** The data as text, with a record of where it came from. */
export interface LoadedSource {
  text: string;
  source: DataSource;
  /** A short label for run ids: the file name, or "selection". */
  label: string;
}

/** Reads the data named by `args`, checking its size and encoding. */
export function readSource(args: SourceArgs): LoadedSource {
  if (args.text !== undefined && args.file !== undefined) throw new UsageError('Give either a file or --text, not both.');
  if (args.text !== undefined) {
    const bytes = Buffer.from(requireContent(args.text, 'The text'), 'utf8');
    return { text: args.text, source: { kind: 'text', sha256: sha256(bytes), bytes: bytes.length }, label: 'selection' };
  }
  if (args.file === undefined) throw new UsageError('Name a data file (or - for stdin), or pass --text "some text".');
  if (args.file === '-') {
    const bytes = readAllStdin();
    return { text: decodeText(bytes, 'stdin'), source: { kind: 'stdin', sha256: sha256(bytes), bytes: bytes.length }, label: 'stdin' };
  }
  const file = path.resolve(args.file);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new UsageError(`${args.file} does not exist. Check the path.`);
  }
  if (stat.isDirectory()) throw new UsageError(`${args.file} is a folder: name a text or CSV file inside it.`);
  if (stat.size > MAX_DATA_BYTES) {
    throw new UsageError(
      `${args.file} is ${(stat.size / 2 ** 20).toFixed(0)} MB, over the ${MAX_DATA_BYTES / 2 ** 20} MB limit. Train on a part of it (e.g. head -c 100M ${args.file} > part.txt).`,
    );
  }
  const bytes = fs.readFileSync(file);
  return { text: decodeText(bytes, args.file), source: { kind: 'file', path: file, sha256: sha256(bytes), bytes: bytes.length }, label: path.parse(file).name };
}

/** Hex SHA-256 of some bytes. */
export function sha256(bytes: Uint8Array): string {
  return crypto.createHash('sha256').update(bytes).digest('hex');
}

/** Decodes UTF-8 (or UTF-16 with a BOM), refusing binary data and invalid UTF-8 with a clear message. */
export function decodeText(bytes: Uint8Array, name: string): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return decodeUtf16(bytes, 'utf-16le', name);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return decodeUtf16(bytes, 'utf-16be', name);
  const head = bytes.subarray(0, 8192);
  if (head.includes(0)) {
    const utf16 = utf16WithoutBom(head);
    if (utf16)
      throw new UsageError(
        `${name} looks like UTF-16 text without a byte order mark. Convert it to UTF-8 first (e.g. iconv -f ${utf16} -t utf-8 ${name} > converted.txt).`,
      );
    throw new UsageError(`${name} looks like a binary file (it contains NUL bytes): train on a text or CSV file.`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new UsageError(`${name} is not valid UTF-8 text. Convert it first (e.g. iconv -f latin1 -t utf-8 ${name} > converted.txt).`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return requireContent(text, name);
}

/** Decodes UTF-16 after its byte order mark, refusing invalid UTF-16 (a lone surrogate, an odd last byte) and empty text as UTF-8 is refused. */
function decodeUtf16(bytes: Uint8Array, encoding: 'utf-16le' | 'utf-16be', name: string): string {
  let text: string;
  try {
    text = new TextDecoder(encoding, { fatal: true }).decode(bytes.subarray(2));
  } catch {
    throw new UsageError(
      `${name} starts with a UTF-16 byte order mark but is not valid UTF-16 text. Convert it to UTF-8 first (e.g. iconv -f ${encoding} -t utf-8 ${name} > converted.txt).`,
    );
  }
  return requireContent(text, name);
}

/** The text itself, unless it is empty or only white space (then a {@link UsageError} naming it). */
function requireContent(text: string, name: string): string {
  if (text.trim().length === 0) throw new UsageError(`${name} is empty (or only white space): there is nothing to train on.`);
  return text;
}

/** `utf-16le` or `utf-16be` when the NUL bytes of a sample sit in every other byte (ASCII text as UTF-16), else null. */
function utf16WithoutBom(sample: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const pairs = Math.floor(sample.length / 2);
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < pairs * 2; i += 2) {
    if (sample[i] === 0) evenNul++;
    if (sample[i + 1] === 0) oddNul++;
  }
  if (pairs > 0 && oddNul >= 0.9 * pairs && evenNul === 0) return 'utf-16le';
  if (pairs > 0 && evenNul >= 0.9 * pairs && oddNul === 0) return 'utf-16be';
  return null;
}

function readAllStdin(): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  const buffer = Buffer.alloc(1 << 20);
  for (;;) {
    let n: number;
    try {
      n = fs.readSync(0, buffer, 0, buffer.length, null);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EAGAIN') continue;
      if ((error as NodeJS.ErrnoException).code === 'EOF') break;
      throw error;
    }
    if (n === 0) break;
    total += n;
    if (total > MAX_DATA_BYTES) throw new UsageError(`stdin holds more than ${MAX_DATA_BYTES / 2 ** 20} MB, the limit. Pass a smaller part.`);
    chunks.push(Buffer.from(buffer.subarray(0, n)));
  }
  return Buffer.concat(chunks);
}

/** The first `bytes` bytes of a file as UTF-8, cut after its last complete line when the file is longer. */
export function readFileHead(file: string, bytes: number): string {
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const read = fs.readSync(fd, buffer, 0, buffer.length, 0);
    const text = buffer.subarray(0, read).toString('utf8');
    return read < buffer.length ? text : text.slice(0, text.lastIndexOf('\n') + 1);
  } finally {
    fs.closeSync(fd);
  }
}
