// Splits CSV text into trimmed cells with papaparse: delimiter and header detection, and the refusals of what is no CSV.
import Papa from 'papaparse';
import { classifyCell, NUMERIC_SHARE } from './cells';
import { DataError } from './dataError';
import { looksLikeNameRow } from './header';
import { countOf, rowList } from './messages';

const DELIMITERS = [',', ';', '\t'];
/** The longest line accepted: rows of a time series are short, and a longer line means a file that is not a CSV. */
const MAX_LINE_CHARS = 1_000_000;
/** Rows read to detect the delimiter and the header. */
const HEADER_SAMPLE_ROWS = 500;

/** The CSV split into trimmed cells, with the file line of each data row. */
export interface CsvTable {
  delimiter: string;
  hasHeader: boolean;
  names: string[];
  /** Whether each column has a name in the header row (false for a blank header cell or a file without header). */
  named: boolean[];
  rows: string[][];
  rowNumbers: number[];
  warnings: string[];
}

/** One cell of a line as the file writes it. */
export interface WrittenCell {
  /** The value as read: unquoted and trimmed. */
  text: string;
  /** Whether the file wraps the cell in quotes. */
  quoted: boolean;
}

/**
 * Splits CSV text into rows of trimmed cells with papaparse, detecting the delimiter and a header row.
 * @throws DataError for an over-long line, an unclosed quote, no data rows, or rows that mix delimiters.
 */
export function parseCsvTable(text: string): CsvTable {
  const content = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  refuseLongLines(content);
  const parsed = Papa.parse<string[]>(content, { delimiter: guessDelimiter(content), header: false, skipEmptyLines: false });
  const records: string[][] = [];
  const lineNumbers: number[] = [];
  /** The file line where each parsed record starts, blank records included (papaparse's error rows index these). */
  const recordLines: number[] = [];
  let line = 1;
  for (const record of parsed.data) {
    recordLines.push(line);
    const breaks = record.reduce((count, cell) => count + countLineBreaks(cell), 0);
    // Trimmed in place: a copy of every row would hold a second table (~100 MB for a million rows).
    for (let i = 0; i < record.length; i++) record[i] = record[i].trim();
    if (record.some((cell) => cell !== '')) {
      records.push(record);
      lineNumbers.push(line);
    }
    line += 1 + breaks;
  }
  const unclosed = parsed.errors.find((error) => error.code === 'MissingQuotes');
  if (unclosed) {
    throw new DataError(
      `Line ${recordLines[unclosed.row ?? 0] ?? 1} of the CSV opens a quote (") that is never closed, so the rest of the file would read as one cell. Close or remove that quote.`,
    );
  }
  const warnings = parsed.errors
    .filter((error) => error.type === 'Quotes')
    .map((error) => `Malformed quotes on line ${recordLines[error.row ?? 0] ?? 1}: ${error.message}.`);
  if (records.length === 0) {
    throw new DataError('The CSV file is empty: it has no data rows.');
  }
  const delimiter = parsed.meta.delimiter;
  const hasHeader = looksLikeHeader(records, delimiter);
  const width = hasHeader ? records[0].length : records.reduce((widest, record) => Math.max(widest, record.length), 0);
  const named = Array.from({ length: width }, (_, index) => hasHeader && Boolean(records[0][index]));
  const names = named.map((isNamed, index) => (isNamed ? records[0][index] : `column${index + 1}`));
  const rows = hasHeader ? records.slice(1) : records;
  const rowNumbers = hasHeader ? lineNumbers.slice(1) : lineNumbers;
  refuseMixedDelimiters(rows, rowNumbers, delimiter);
  const ragged = rows.flatMap((row, index) => (row.length === width ? [] : [rowNumbers[index]]));
  if (ragged.length > 0) {
    warnings.push(
      `${countOf(ragged.length, 'row')} do not have ${width} fields (${rowList(ragged)}); missing fields count as missing values, extra fields are ignored.`,
    );
  }
  return { delimiter, hasHeader, names, named, rows, rowNumbers, warnings };
}

/**
 * The cells of one line (no line break) as the file writes them, read by papaparse both with quotes and without; null when a
 * quoted cell holds the delimiter, so that the cells of the two readings do not line up.
 */
export function cellsAsWritten(line: string, delimiter: string): WrittenCell[] | null {
  const [values = []] = Papa.parse<string[]>(line, { delimiter, header: false }).data;
  const [literal = []] = Papa.parse<string[]>(line, { delimiter, header: false, fastMode: true }).data;
  // papaparse reads a cell as quoted only when the quote is its first character.
  return literal.length === values.length ? values.map((value, index) => ({ text: value.trim(), quoted: literal[index].startsWith('"') })) : null;
}

/** Refuses text with a line longer than MAX_LINE_CHARS (a file without line breaks is no CSV), without splitting it. */
function refuseLongLines(content: string): void {
  for (let start = 0, line = 1; start < content.length; line++) {
    const newline = content.indexOf('\n', start);
    const end = newline < 0 ? content.length : newline;
    if (end - start > MAX_LINE_CHARS) {
      throw new DataError(
        `Line ${line} of the CSV is ${((end - start) / 2 ** 20).toFixed(1)} M characters long; a CSV row should be short. Check that the file is a CSV with one row per line, or train on it as text (--task text).`,
      );
    }
    start = end + 1;
  }
}

/**
 * Refuses rows whose cells hold values joined by another delimiter (e.g. "5;3" in a comma-separated file): the file
 * mixes delimiters, and those rows would silently read as missing values.
 */
function refuseMixedDelimiters(rows: string[][], rowNumbers: number[], delimiter: string): void {
  const others = DELIMITERS.filter((other) => other !== delimiter);
  const joined = (cell: string) =>
    others.find(
      (other) =>
        cell.includes(other) &&
        classifyCell(cell, delimiter) === 'text' &&
        cell.split(other).every((part) => ['number', 'date'].includes(classifyCell(part.trim(), delimiter))),
    );
  const mixed = rows.flatMap((row, index) => (row.some((cell) => joined(cell)) ? [index] : []));
  if (mixed.length === 0) {
    return;
  }
  const example = rows[mixed[0]].find((cell) => joined(cell)) as string;
  const name = (d: string) => (d === '\t' ? 'tab' : `"${d}"`);
  throw new DataError(
    `The CSV mixes delimiters: it reads as ${name(delimiter)}-separated, but ${countOf(mixed.length, 'row')} (${rowList(mixed.map((index) => rowNumbers[index]))}) hold values separated by ${name(joined(example) as string)}, e.g. "${example}". Use one delimiter throughout the file.`,
  );
}

/**
 * Lets papaparse guess the delimiter among DELIMITERS with blank lines skipped (they would otherwise drag down its
 * average field count in short files); the full parse keeps blank lines so that file line numbers can be counted.
 * Where another delimiter splits the sample as consistently into more than one field and more of its cells read as
 * numbers or dates, that one wins: in "2024-01-01\t0,5\t1,25" tabs separate values with decimal commas, though the
 * commas split every row alike too.
 */
function guessDelimiter(content: string): string {
  const sample = (delimiter?: string) =>
    Papa.parse<string[]>(content, { delimiter, delimitersToGuess: DELIMITERS, skipEmptyLines: 'greedy', preview: HEADER_SAMPLE_ROWS });
  const guessed = sample().meta.delimiter;
  const typedShare = (rows: string[][], delimiter: string) => {
    const cells = rows.flat().map((cell) => classifyCell(cell.trim(), delimiter));
    return cells.filter((kind) => kind === 'number' || kind === 'date').length / Math.max(1, cells.length);
  };
  const consistent = (rows: string[][]) => rows.length > 0 && rows[0].length > 1 && rows.every((row) => row.length === rows[0].length);
  let best = { delimiter: guessed, share: typedShare(sample(guessed).data, guessed) };
  for (const delimiter of DELIMITERS.filter((other) => other !== guessed)) {
    const rows = sample(delimiter).data;
    const share = typedShare(rows, delimiter);
    if (consistent(rows) && share > best.share) best = { delimiter, share };
  }
  return best.delimiter;
}

/** Counts line breaks inside a (quoted) cell, so file line numbers stay right after multi-line cells. */
function countLineBreaks(cell: string): number {
  return cell.match(/\r\n|\r|\n/g)?.length ?? 0;
}

/** The first row is a header when some column starts with a text cell and is mostly numbers or dates below it, or when it is a row of column names (see looksLikeNameRow). */
export function looksLikeHeader(records: string[][], delimiter: string): boolean {
  const sample = records.slice(1, 1 + HEADER_SAMPLE_ROWS);
  if (looksLikeNameRow(records[0], sample, delimiter)) {
    return true;
  }
  return records[0].some((first, column) => {
    if (classifyCell(first, delimiter) !== 'text') {
      return false;
    }
    const kinds = sample.map((row) => classifyCell(row[column] ?? '', delimiter)).filter((kind) => kind !== 'blank');
    const typed = kinds.filter((kind) => kind === 'number' || kind === 'date').length;
    return kinds.length > 0 && typed >= NUMERIC_SHARE * kinds.length;
  });
}
