// A small CSV/TSV reader for the editor's row features (the classifier hover, revealing a row): the delimiter, the records, and their cells.
//
// The extension cannot import the engine's parser (papaparse, behind IPC), so this follows the engine's reading closely
// enough to find one row's cells:
// - the delimiter is tab for .tsv, else whichever of `,` `;` tab occurs most often outside quotes on the first non-blank
//   line (comma on a tie);
// - a cell that starts with `"` is quoted: it runs to the next `"` not doubled, may hold delimiters and line breaks, and
//   `""` in it is one `"`; text after its closing quote is kept (the engine warns about such malformed quotes); a `"`
//   further into an unquoted cell is literal;
// - a tab-separated file whose non-blank lines all hold the same number of tabs is read line by line, a quote only
//   unwrapping a cell it wraps whole (as the engine reads such TSVs, so that `ham<TAB>"Hi" he said` stays one row);
// - cells are trimmed, a byte-order mark before the first is dropped, and blank records are skipped.

/** The delimiters the engine detects. */
const DELIMITERS = [',', ';', '\t'] as const;
/** A line break as VS Code and the engine count lines. */
const LINE_BREAK = /\r\n|\r|\n/;
/** A cell wrapped in quotes, inner quotes doubled. */
const QUOTED_CELL = /^"((?:[^"]|"")*)"$/s;

/** A file's text cut into records, to find a line's row and its cells. */
export interface CsvLayout {
  delimiter: string;
  /** Tab-separated lines read as they are (every non-blank line has the same number of tabs). */
  plainTabs: boolean;
  /** The file's lines. */
  lines: string[];
  /** The 0-based line where each record starts, ascending (a record spans lines when a quoted cell holds line breaks). */
  starts: number[];
}

/** A record's 0-based first and last line. */
export interface RecordSpan {
  first: number;
  last: number;
}

/** Reads the layout of a CSV or TSV file's text; `fileName` tells a .tsv (always tab-separated) from a .csv. */
export function csvLayout(text: string, fileName: string): CsvLayout {
  const content = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = content.split(LINE_BREAK);
  const firstLine = lines.find((line) => line.trim() !== '') ?? '';
  const delimiter = fileName.toLowerCase().endsWith('.tsv') ? '\t' : guessDelimiter(firstLine);
  const plainTabs = delimiter === '\t' && hasEvenTabs(lines);
  return { delimiter, plainTabs, lines, starts: plainTabs ? lines.map((_, index) => index) : recordStartLines(content, delimiter) };
}

/** The delimiter of a line: whichever candidate occurs most often outside quotes, comma on a tie (or when none occurs). */
export function guessDelimiter(line: string): string {
  const counts = DELIMITERS.map((delimiter) => splitRecord(line, delimiter).length);
  const most = Math.max(...counts);
  return DELIMITERS[counts.indexOf(most)];
}

/** Whether every non-blank line holds the same number of tabs, at least one. */
function hasEvenTabs(lines: readonly string[]): boolean {
  let tabs = -1;
  for (const line of lines) {
    if (line.trim() === '') continue;
    const count = line.split('\t').length - 1;
    if (count === 0 || (tabs >= 0 && count !== tabs)) return false;
    tabs = count;
  }
  return tabs > 0;
}

/** The 0-based line where each record starts: a line break inside a quoted cell continues the record. */
export function recordStartLines(text: string, delimiter: string): number[] {
  const starts = [0];
  let line = 0;
  let inQuotes = false;
  let atCellStart = true;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (inQuotes) {
      if (char === '"') {
        if (text[i + 1] === '"') i++;
        else inQuotes = false;
      } else if (char === '\r' || char === '\n') {
        if (char === '\r' && text[i + 1] === '\n') i++;
        line++;
      }
      continue;
    }
    if (char === '\r' || char === '\n') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      line++;
      starts.push(line);
      atCellStart = true;
    } else if (char === delimiter) {
      atCellStart = true;
    } else {
      if (char === '"' && atCellStart) inQuotes = true;
      atCellStart = false;
    }
  }
  return starts;
}

/** The cells of one record's text (which may span lines inside quotes), unquoted and trimmed. */
export function splitRecord(record: string, delimiter: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let inQuotes = false;
  let atCellStart = true;
  for (let i = 0; i < record.length; i++) {
    const char = record[i];
    if (inQuotes) {
      if (char !== '"') cell += char;
      else if (record[i + 1] === '"') {
        cell += '"';
        i++;
      } else inQuotes = false;
    } else if (char === delimiter) {
      cells.push(cell.trim());
      cell = '';
      atCellStart = true;
      continue;
    } else if (char === '"' && atCellStart) {
      inQuotes = true;
    } else {
      cell += char;
    }
    atCellStart = false;
  }
  cells.push(cell.trim());
  return cells;
}

/** A plain tab-separated line's cells: trimmed, a quote unwrapping only a cell it wraps whole. */
function splitPlainTabs(line: string): string[] {
  return line.split('\t').map((raw) => {
    const cell = raw.trim();
    const match = QUOTED_CELL.exec(cell);
    return match ? match[1].replaceAll('""', '"').trim() : cell;
  });
}

/** The record that holds a 0-based line, or undefined past the end of the file. */
export function recordAt(layout: CsvLayout, line: number): RecordSpan | undefined {
  if (line < 0 || line >= layout.lines.length) return undefined;
  // The last start at or before the line (binary search: a file can have a million records).
  let low = 0;
  let high = layout.starts.length - 1;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (layout.starts[middle] <= line) low = middle;
    else high = middle - 1;
  }
  const next = layout.starts[low + 1];
  return { first: layout.starts[low], last: next === undefined ? layout.lines.length - 1 : next - 1 };
}

/** A record's cells; empty for a blank record. */
export function recordCells(layout: CsvLayout, span: RecordSpan): string[] {
  const text = layout.lines.slice(span.first, span.last + 1).join('\n');
  if (text.trim() === '') return [];
  return layout.plainTabs ? splitPlainTabs(text) : splitRecord(text, layout.delimiter);
}

/** The first record with a non-empty cell: the header row of a file that has one. */
export function firstRecord(layout: CsvLayout): RecordSpan | undefined {
  for (const first of layout.starts) {
    const span = recordAt(layout, first);
    if (span && recordCells(layout, span).some((cell) => cell !== '')) return span;
  }
  return undefined;
}

/**
 * The 0-based index of a column as the engine names it: the header cell of that name, else `columnN` (a file without
 * header, or a blank header cell) for column N; undefined when neither matches.
 */
export function columnIndex(name: string, header: readonly string[] | null): number | undefined {
  const named = header ? header.indexOf(name) : -1;
  if (named >= 0) return named;
  const numbered = /^column([1-9]\d*)$/.exec(name);
  return numbered ? Number(numbered[1]) - 1 : undefined;
}
