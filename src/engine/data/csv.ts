// Loads numeric time series from CSV text: delimiter and header detection, column analysis, time axis and missing-value repair.
import Papa from 'papaparse';
import { UsageError } from '../config';

/** A problem with the user's data, with a message that says what is wrong and how to fix it (printed as a one-line reason). */
export class DataError extends UsageError {
  override name = 'DataError';
}

/** What a column mostly holds: numbers, dates/times, or anything else. */
export type ColumnKind = 'numeric' | 'date' | 'text';

/** A calendar field held by a numeric column named like one (year, month, day, hour, minute). */
export type DatePart = 'year' | 'month' | 'day' | 'hour' | 'minute';

/** One column of a CSV file, as shown to the user when picking a target. */
export interface CsvColumnInfo {
  /** Header name, or `column1..N` when the file has no header (or the header cell is blank). */
  name: string;
  /** 0-based position in the file. */
  index: number;
  kind: ColumnKind;
  /** Number of data cells that hold a finite number. */
  numericCount: number;
  /** The first few data cells, trimmed, as written in the file. */
  preview: string[];
  /** True for the detected time column and for date-part columns; such columns are never a default target. */
  isTime: boolean;
  /** True for the column `loadSeriesCsv` uses as target when none is given. */
  isDefaultTarget: boolean;
}

/** Options of `loadSeriesCsv`. */
export interface LoadSeriesArgs {
  /** Target column: a name, or a 0-based index (a string of digits that is not a column name also counts as an index). Default: the last numeric column that is not a time column or date part. */
  column?: string | number;
  /** Extra input columns (names or 0-based indexes), in the order the model should see them; text columns are one-hot encoded. */
  inputs?: (string | number)[];
  /** Fixed levels for categorical inputs, e.g. a training run's `LoadedSeries.categorical`, so new data is encoded the same way. */
  categorical?: CategoricalEncoding[];
  /** What to do with missing or non-numeric cells inside the series: interpolate linearly (default) or drop the rows. */
  missing?: 'interpolate' | 'drop';
}

/** How a categorical input column was one-hot encoded: one 0/1 input `column=level` per level, in this order. */
export interface CategoricalEncoding {
  column: string;
  levels: string[];
}

/** Cells that were repaired in one column. */
export interface InterpolatedCells {
  column: string;
  /** 1-based file lines of the repaired cells. */
  rows: number[];
}

/** What `loadSeriesCsv` changed or noticed while loading. */
export interface LoadReport {
  interpolated: InterpolatedCells[];
  /** 1-based file lines of data rows that were dropped. */
  dropped: number[];
  /** Human-readable notes (repairs, drops, unordered or duplicate times, ambiguous dates, malformed rows). */
  warnings: string[];
}

/** A numeric series loaded from CSV, aligned across target, inputs and time. */
export interface LoadedSeries {
  target: Float64Array;
  inputs: Float64Array[];
  targetName: string;
  /** Input names, with each categorical input expanded into its one-hot columns `column=level`. */
  inputNames: string[];
  /** The encoding of each categorical input, in input order. */
  categorical: CategoricalEncoding[];
  /** Epoch milliseconds (UTC) of each kept row, or null when the file has no time axis. */
  time: Float64Array | null;
  /** Name of the time column, or the date-part names joined with `+` (e.g. `year+month`), or null. */
  timeColumn: string | null;
  /** 1-based file line of each kept row. */
  rowNumbers: Int32Array;
  delimiter: string;
  hasHeader: boolean;
  report: LoadReport;
}

const DELIMITERS = [',', ';', '\t'];
/** The longest line accepted: rows of a time series are short, and a longer line means a file that is not a CSV. */
const MAX_LINE_CHARS = 1_000_000;
const PREVIEW_LENGTH = 5;
const HEADER_SAMPLE_ROWS = 500;
const ROWS_LISTED = 10;
/** Most levels a categorical input may have: each level becomes an input column, and more distinct values suggest an ID or free text rather than a category. */
const MAX_CATEGORICAL_LEVELS = 32;
/** A column is numeric (or date) when at least this share of its non-blank cells are numbers (or dates). */
const NUMERIC_SHARE = 0.5;
const DATE_SHARE = 0.8;
const BLANK_TOKENS = new Set(['', 'na', 'n/a', 'nan', 'null', 'none', 'nil', '-', '--', '?', '.', '#n/a']);
const NUMBER_PATTERN = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const DECIMAL_COMMA_PATTERN = /^[+-]?\d*,\d+$/;
const TIME_NAME_PATTERN = /date|time|timestamp|datetime|day|period/i;
const DATE_PART_NAMES: Record<DatePart, RegExp> = {
  year: /^(year|yr)$/i,
  month: /^(month|mon)$/i,
  day: /^day$/i,
  hour: /^(hour|hr)$/i,
  minute: /^minute$/i,
};
const DATE_PART_RANGES: Record<DatePart, [number, number]> = {
  year: [1, 9999],
  month: [1, 12],
  day: [1, 31],
  hour: [0, 23],
  minute: [0, 59],
};
const TIME_OF_DAY = String.raw`(?:[T ]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?`;
const YEAR_FIRST_DATE = new RegExp(String.raw`^(\d{4})[-/.](\d{1,2})(?:[-/.](\d{1,2}))?` + TIME_OF_DAY + '$', 'i');
const YEAR_LAST_DATE = new RegExp(String.raw`^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})` + TIME_OF_DAY + '$', 'i');

/** Whether `dd/mm/yyyy`-style dates put the day or the month first. */
type DayOrder = 'dayFirst' | 'monthFirst';

/** The CSV split into trimmed cells, with the file line of each data row. */
interface CsvTable {
  delimiter: string;
  hasHeader: boolean;
  names: string[];
  /** Whether each column has a name in the header row (false for a blank header cell or a file without header). */
  named: boolean[];
  rows: string[][];
  rowNumbers: number[];
  warnings: string[];
}

/** Everything learned about one column from its cells. */
interface ColumnAnalysis {
  info: CsvColumnInfo;
  /** Parsed numbers, NaN where a cell is not a finite number. */
  numbers: Float64Array;
  /** Parsed epoch ms for date columns, NaN where a cell is not a date; null for other columns. */
  dates: Float64Array | null;
  datePart: DatePart | null;
  /** A column named in the header whose every cell is blank (empty, NA, NaN, ...). */
  empty: boolean;
}

/** The time axis of a file, before missing-value repair. */
interface TimeAxis {
  name: string;
  values: Float64Array;
}

/** A column's values plus the name used in reports. */
interface NamedValues {
  name: string;
  values: Float64Array;
}

/**
 * Describes every column of a CSV file for the UI: kind, numeric cell count and a short preview.
 * @throws DataError when the text holds no data rows.
 */
export function describeCsvColumns(text: string): CsvColumnInfo[] {
  return analyzeColumns(parseCsvTable(text)).map((column) => column.info);
}

/**
 * Loads a target series (plus optional input series and a time axis) from CSV text.
 * Missing or non-numeric cells (empty, NA, NaN, null, '-', text, infinities) are interpolated linearly between
 * the nearest valid rows, or the rows are dropped with `missing: 'drop'`; leading and trailing gaps are always dropped.
 * Rows are kept in file order: times that go backwards or repeat are reported as warnings, never sorted.
 * Text input columns are categorical: each is one-hot encoded into one 0/1 input per level (see `oneHotEncode`).
 * Times without an explicit offset are read as UTC, so results do not depend on the machine's time zone.
 * @throws DataError with an actionable message when the data cannot form a series.
 */
export function loadSeriesCsv(text: string, args: LoadSeriesArgs = {}): LoadedSeries {
  const table = parseCsvTable(text);
  if (table.rows.length < 2) {
    throw new DataError(`The CSV has only ${countOf(table.rows.length, 'data row')}; a time series needs at least 2 rows.`);
  }
  const columns = analyzeColumns(table);
  const target = args.column === undefined ? defaultTarget(columns) : resolveNumericColumn(columns, args.column);
  const fixedLevels = new Map((args.categorical ?? []).map((encoding) => [encoding.column, encoding.levels]));
  const isCategorical = (column: ColumnAnalysis) => column.info.kind === 'text' || fixedLevels.has(column.info.name);
  const inputs = uniqueColumns(
    (args.inputs ?? []).map((ref) => {
      const column = resolveColumn(columns, ref);
      return isCategorical(column) ? column : resolveNumericColumn(columns, ref);
    }),
  );
  if (inputs.includes(target)) {
    throw new DataError(`Column "${target.info.name}" is the target; it cannot also be an input.`);
  }
  [target, ...inputs].forEach((column) => requireUniqueName(columns, column));
  const timeAxis = findTimeAxis(columns);
  const numericInputs = inputs.filter((column) => !isCategorical(column));
  const series: NamedValues[] = [target, ...numericInputs].map((column) => ({ name: column.info.name, values: column.numbers }));
  const repaired = repairMissing(timeAxis ? [...series, timeAxis] : series, table.rowNumbers, args.missing ?? 'interpolate');
  const rowNumbers = repaired.keptRows.map((row) => table.rowNumbers[row]);
  if (rowNumbers.length < 2) {
    throw new DataError(
      `Only ${countOf(rowNumbers.length, 'row')} with valid values in ${quotedList(series.map((s) => s.name))}; a time series needs at least 2 rows.`,
    );
  }
  const time = timeAxis ? repaired.columns[series.length] : null;
  if (time && timeAxis) {
    table.warnings.push(...timeOrderWarnings(timeAxis.name, time, rowNumbers));
  }
  const encode = (column: ColumnAnalysis) => oneHotEncode(table, column, repaired.keptRows, fixedLevels.get(column.info.name));
  const oneHot = new Map(inputs.filter(isCategorical).map((column) => [column, encode(column)]));
  const numericInput = (column: ColumnAnalysis): NamedValues => ({ name: column.info.name, values: repaired.columns[1 + numericInputs.indexOf(column)] });
  const inputSeries = inputs.flatMap((column) => oneHot.get(column)?.columns ?? [numericInput(column)]);
  table.warnings.push(...[...oneHot.values()].flatMap((encoded) => encoded.warnings));
  const targetValues = repaired.columns[0];
  if (targetValues.every((value) => value === targetValues[0])) {
    table.warnings.push(
      `The target "${target.info.name}" is constant (every value is ${targetValues[0]}): the model can only learn that value, and MASE is undefined since the naive forecast is exact.`,
    );
  }
  return {
    target: repaired.columns[0],
    inputs: inputSeries.map((input) => input.values),
    targetName: target.info.name,
    inputNames: inputSeries.map((input) => input.name),
    categorical: [...oneHot.values()].map((encoded) => encoded.encoding),
    time,
    timeColumn: timeAxis?.name ?? null,
    rowNumbers,
    delimiter: table.delimiter,
    hasHeader: table.hasHeader,
    report: { interpolated: repaired.interpolated, dropped: repaired.dropped, warnings: [...table.warnings, ...repaired.warnings] },
  };
}

/** Splits CSV text into rows of trimmed cells with papaparse, detecting the delimiter and a header row. */
function parseCsvTable(text: string): CsvTable {
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
 */
function guessDelimiter(content: string): string {
  return Papa.parse<string[]>(content, { delimitersToGuess: DELIMITERS, skipEmptyLines: 'greedy', preview: HEADER_SAMPLE_ROWS }).meta.delimiter;
}

/** Counts line breaks inside a (quoted) cell, so file line numbers stay right after multi-line cells. */
function countLineBreaks(cell: string): number {
  return cell.match(/\r\n|\r|\n/g)?.length ?? 0;
}

/** The first row is a header when some column starts with a text cell and is mostly numbers or dates below it. */
function looksLikeHeader(records: string[][], delimiter: string): boolean {
  const sample = records.slice(1, 1 + HEADER_SAMPLE_ROWS);
  return records[0].some((first, column) => {
    if (classifyCell(first, delimiter) !== 'text') {
      return false;
    }
    const kinds = sample.map((row) => classifyCell(row[column] ?? '', delimiter)).filter((kind) => kind !== 'blank');
    const typed = kinds.filter((kind) => kind === 'number' || kind === 'date').length;
    return kinds.length > 0 && typed >= NUMERIC_SHARE * kinds.length;
  });
}

/** Rough type of a single cell, used for header detection. */
function classifyCell(cell: string, delimiter: string): 'blank' | 'number' | 'date' | 'text' {
  if (isBlank(cell)) {
    return 'blank';
  }
  if (Number.isFinite(parseNumber(cell, delimiter))) {
    return 'number';
  }
  return Number.isFinite(parseDate(cell, 'dayFirst')) ? 'date' : 'text';
}

function isBlank(cell: string): boolean {
  return BLANK_TOKENS.has(cell.toLowerCase());
}

/** Parses a plain decimal number (a decimal comma is accepted when the delimiter is not a comma); NaN otherwise, including infinities. */
function parseNumber(cell: string, delimiter: string): number {
  if (NUMBER_PATTERN.test(cell)) {
    const value = Number(cell);
    return Number.isFinite(value) ? value : NaN;
  }
  return delimiter !== ',' && DECIMAL_COMMA_PATTERN.test(cell) ? Number(cell.replace(',', '.')) : NaN;
}

/**
 * Parses a date or date-time to epoch ms: `2024-01-31`, `2024/01/31`, `2024-01`, `31/01/2024`, `31.01.2024`,
 * each optionally followed by ` 13:00`, `T13:00:05.123` and `Z` or `+02:00`. Times without an offset are UTC. NaN otherwise.
 */
function parseDate(cell: string, order: DayOrder): number {
  const yearFirst = YEAR_FIRST_DATE.exec(cell);
  const yearLast = yearFirst ? null : YEAR_LAST_DATE.exec(cell);
  if (!yearFirst && !yearLast) {
    return NaN;
  }
  const [year, month, day] = yearFirst
    ? [Number(yearFirst[1]), Number(yearFirst[2]), Number(yearFirst[3] ?? 1)]
    : order === 'dayFirst'
      ? [Number(yearLast![3]), Number(yearLast![2]), Number(yearLast![1])]
      : [Number(yearLast![3]), Number(yearLast![1]), Number(yearLast![2])];
  const [hour, minute, second, milli, offset] = (yearFirst ?? yearLast!).slice(4);
  const clock = [Number(hour ?? 0), Number(minute ?? 0), Number(second ?? 0), Number((milli ?? '0').padEnd(3, '0'))];
  const date = new Date(Date.UTC(year, month - 1, day, clock[0], clock[1], clock[2], clock[3]));
  const exact = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day && date.getUTCHours() === clock[0];
  return exact && clock[1] < 60 && clock[2] < 60 ? date.getTime() - offsetMinutes(offset) * 60_000 : NaN;
}

/** Minutes east of UTC for `Z`, `+02:00` or `-0530`; 0 when absent. */
function offsetMinutes(offset: string | undefined): number {
  if (!offset || offset.toUpperCase() === 'Z') {
    return 0;
  }
  const digits = offset.replace(':', '');
  const sign = digits.startsWith('-') ? -1 : 1;
  return sign * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
}

/** Day-first unless a first field above 12 never occurs while a second field above 12 does; ambiguous columns read day-first. */
function detectDayOrder(cells: string[]): { order: DayOrder; ambiguous: boolean } {
  const fields = cells.map((cell) => YEAR_LAST_DATE.exec(cell)).filter((match) => match !== null);
  const firstOver12 = fields.some((match) => Number(match[1]) > 12);
  const secondOver12 = fields.some((match) => Number(match[2]) > 12);
  return { order: secondOver12 && !firstOver12 ? 'monthFirst' : 'dayFirst', ambiguous: fields.length > 0 && !firstOver12 && !secondOver12 };
}

/** Parses every column, decides its kind and role, and marks the default target. */
function analyzeColumns(table: CsvTable): ColumnAnalysis[] {
  const columns = table.names.map((name, index): ColumnAnalysis => {
    const cells = table.rows.map((row) => row[index] ?? '');
    const numbers = mapToFloat64(cells, (cell) => parseNumber(cell, table.delimiter));
    const numericCount = numbers.reduce((count, value) => count + (Number.isNaN(value) ? 0 : 1), 0);
    const nonBlank = cells.filter((cell) => !isBlank(cell)).length;
    const dates = numericCount >= NUMERIC_SHARE * nonBlank ? null : parseDateColumn(name, cells, nonBlank, table.warnings);
    const kind: ColumnKind = dates ? 'date' : numericCount > 0 && numericCount >= NUMERIC_SHARE * nonBlank ? 'numeric' : 'text';
    const datePart = kind === 'numeric' ? detectDatePart(name, numbers) : null;
    const info = { name, index, kind, numericCount, preview: cells.slice(0, PREVIEW_LENGTH), isTime: datePart !== null, isDefaultTarget: false };
    return { info, numbers, dates, datePart, empty: table.named[index] && nonBlank === 0 };
  });
  const timeColumn = chooseDateColumn(columns);
  if (timeColumn) {
    timeColumn.info.isTime = true;
  }
  const target = targetCandidates(columns).at(-1);
  if (target) {
    target.info.isDefaultTarget = true;
  }
  return columns;
}

/** Epoch ms of each cell when most non-blank cells are dates; null otherwise. Warns when day/month order is ambiguous. */
function parseDateColumn(name: string, cells: string[], nonBlank: number, warnings: string[]): Float64Array | null {
  const { order, ambiguous } = detectDayOrder(cells);
  const dates = mapToFloat64(cells, (cell) => parseDate(cell, order));
  const dateCount = dates.reduce((count, value) => count + (Number.isNaN(value) ? 0 : 1), 0);
  if (nonBlank === 0 || dateCount < DATE_SHARE * nonBlank) {
    return null;
  }
  if (ambiguous) {
    warnings.push(`Dates in "${name}" could be day/month or month/day; they were read as day/month/year.`);
  }
  return dates;
}

/** The date part a numeric column holds, judged by its name and by all its values being whole numbers in range. */
function detectDatePart(name: string, numbers: Float64Array): DatePart | null {
  const part = (Object.keys(DATE_PART_NAMES) as DatePart[]).find((key) => DATE_PART_NAMES[key].test(name.trim()));
  if (!part) {
    return null;
  }
  const [low, high] = DATE_PART_RANGES[part];
  return numbers.every((value) => Number.isNaN(value) || (Number.isInteger(value) && value >= low && value <= high)) ? part : null;
}

/** The date column to use as time axis: the first one named like a time, else the first date column. */
function chooseDateColumn(columns: ColumnAnalysis[]): ColumnAnalysis | undefined {
  const dateColumns = columns.filter((column) => column.info.kind === 'date');
  return dateColumns.find((column) => TIME_NAME_PATTERN.test(column.info.name)) ?? dateColumns[0];
}

/** Numeric columns that may serve as target or input by default: not a time column, not a date part. */
function targetCandidates(columns: ColumnAnalysis[]): ColumnAnalysis[] {
  return columns.filter((column) => column.info.kind === 'numeric' && !column.info.isTime);
}

/** The last numeric non-time column, by the common convention of putting the target last. */
function defaultTarget(columns: ColumnAnalysis[]): ColumnAnalysis {
  const target = columns.find((column) => column.info.isDefaultTarget);
  const empty = columns.filter((column) => column.empty).at(-1);
  if (empty && empty.info.index > (target?.info.index ?? -1)) {
    throw new DataError(
      `Column "${empty.info.name}" is empty (every cell is blank or NaN), so there is no series to forecast: fill it in or choose another target. ${numericColumnsHint(columns)}`,
    );
  }
  if (!target) {
    const described = columns.map((column) => `${column.info.name} (${column.info.isTime ? 'time' : column.info.kind})`).join(', ');
    throw new DataError(`No numeric column to use as target. Columns: ${described}. Check the delimiter and that values are plain numbers like 12.5.`);
  }
  return target;
}

/** Resolves a column reference and checks that the column holds numbers. */
function resolveNumericColumn(columns: ColumnAnalysis[], ref: string | number): ColumnAnalysis {
  const column = resolveColumn(columns, ref);
  if (column.info.kind === 'numeric') {
    return column;
  }
  const { name, kind, numericCount, preview } = column.info;
  const shown = preview.filter((cell) => cell !== '').slice(0, 3);
  const firstValues = shown.length > 0 ? `first values: ${quotedList(shown)}` : 'every cell is empty';
  const problem =
    kind === 'date'
      ? `holds dates, not numbers`
      : numericCount === 0
        ? `has no numeric values (${firstValues})`
        : `is mostly non-numeric (${numericCount} of ${column.numbers.length} values are numbers; ${firstValues})`;
  throw new DataError(`Column "${name}" ${problem}. ${numericColumnsHint(columns)}`);
}

/** Finds a column by 0-based index, exact name, or unique case-insensitive name. */
function resolveColumn(columns: ColumnAnalysis[], ref: string | number): ColumnAnalysis {
  const names = columns.map((column) => column.info.name);
  if (typeof ref === 'number' || (/^\d+$/.test(ref.trim()) && !names.includes(ref))) {
    const index = Number(ref);
    if (!Number.isInteger(index) || index < 0 || index >= columns.length) {
      throw new DataError(
        `Column index ${ref} is out of range: the file has ${columns.length} columns, indexes 0-${columns.length - 1} (${names.join(', ')}).`,
      );
    }
    return columns[index];
  }
  const exact = columns.filter((column) => column.info.name === ref);
  const matches = exact.length > 0 ? exact : columns.filter((column) => column.info.name.toLowerCase() === ref.trim().toLowerCase());
  if (matches.length > 1) {
    const indexes = matches.map((column) => column.info.index);
    throw new DataError(
      `Column name "${ref}" is ambiguous: it appears at indexes ${indexes.join(' and ')}. Pass the 0-based index instead, e.g. --column ${indexes[0]}.`,
    );
  }
  if (matches.length === 0) {
    throw new DataError(`Column "${ref}" not found. Columns: ${names.join(', ')}.`);
  }
  return matches[0];
}

function numericColumnsHint(columns: ColumnAnalysis[]): string {
  const candidates = targetCandidates(columns).map((column) => column.info.name);
  return candidates.length > 0 ? `Numeric columns: ${candidates.join(', ')}. Pass --column NAME.` : 'The file has no numeric column apart from time columns.';
}

/** Refuses a chosen column whose header name another column shares: a run refers to its columns by name. */
function requireUniqueName(columns: ColumnAnalysis[], column: ColumnAnalysis): void {
  const same = columns.filter((other) => other.info.name === column.info.name);
  if (same.length > 1) {
    throw new DataError(
      `The header names ${same.length} columns "${column.info.name}" (indexes ${same.map((other) => other.info.index).join(' and ')}); a run refers to its columns by name. Give each column a unique name in the header row.`,
    );
  }
}

function uniqueColumns(columns: ColumnAnalysis[]): ColumnAnalysis[] {
  return columns.filter((column, position) => columns.indexOf(column) === position);
}

/** The time axis: the chosen date column, else a timestamp built from year[, month, day, hour, minute] columns; null when neither exists. */
function findTimeAxis(columns: ColumnAnalysis[]): TimeAxis | null {
  const dateColumn = columns.find((column) => column.info.isTime && column.dates);
  if (dateColumn?.dates) {
    return { name: dateColumn.info.name, values: dateColumn.dates };
  }
  const parts = new Map<DatePart, Float64Array>();
  for (const column of columns) {
    if (column.datePart && !parts.has(column.datePart)) {
      parts.set(column.datePart, column.numbers);
    }
  }
  const years = parts.get('year');
  if (!years) {
    return null;
  }
  const partValue = (part: DatePart, row: number, fallback: number) => parts.get(part)?.[row] ?? fallback;
  const values = years.map((year, row) => {
    const month = partValue('month', row, 1);
    const day = partValue('day', row, 1);
    const time = Date.UTC(year, month - 1, day, partValue('hour', row, 0), partValue('minute', row, 0));
    return new Date(time).getUTCDate() === day ? time : NaN;
  });
  return { name: [...parts.keys()].join('+'), values };
}

/** A categorical input's one-hot columns on the kept rows, with its levels and notes on cells that match no level. */
interface OneHotColumns {
  encoding: CategoricalEncoding;
  columns: NamedValues[];
  warnings: string[];
}

/**
 * One-hot encodes a categorical column on the kept rows: one 0/1 column `name=level` per level, the levels being the
 * sorted distinct non-blank cells, or `fixedLevels` when given. Blank cells and values outside fixed levels are all zeros.
 * @throws DataError when the column has more than MAX_CATEGORICAL_LEVELS levels, or none.
 */
function oneHotEncode(table: CsvTable, column: ColumnAnalysis, keptRows: Int32Array, fixedLevels: string[] | undefined): OneHotColumns {
  const name = column.info.name;
  const cellAt = (k: number) => table.rows[keptRows[k]][column.info.index] ?? '';
  const levels = fixedLevels ?? distinctLevels(name, keptRows.length, cellAt);
  const levelIndex = new Map(levels.map((level, index) => [level, index]));
  const values = levels.map(() => new Float64Array(keptRows.length));
  const blankRows: number[] = [];
  const unseenRows: number[] = [];
  const unseenExamples = new Set<string>();
  for (let k = 0; k < keptRows.length; k++) {
    const cell = cellAt(k);
    const level = levelIndex.get(cell);
    if (level !== undefined) {
      values[level][k] = 1;
    } else if (isBlank(cell)) {
      blankRows.push(table.rowNumbers[keptRows[k]]);
    } else {
      unseenRows.push(table.rowNumbers[keptRows[k]]);
      if (unseenExamples.size < PREVIEW_LENGTH) unseenExamples.add(cell);
    }
  }
  const warnings: string[] = [];
  if (blankRows.length > 0) {
    warnings.push(`Encoded ${countOf(blankRows.length, 'blank cell')} in the categorical input "${name}" as all zeros (${rowList(blankRows)}).`);
  }
  if (unseenRows.length > 0) {
    warnings.push(
      `Encoded ${countOf(unseenRows.length, 'cell')} in the categorical input "${name}" as all zeros (${rowList(unseenRows)}): values such as ${quotedList([...unseenExamples])} are not among its levels ${quotedList(levels)}.`,
    );
  }
  const columns = levels.map((level, index) => ({ name: `${name}=${level}`, values: values[index] }));
  return { encoding: { column: name, levels }, columns, warnings };
}

/** The sorted distinct non-blank cells of a categorical column, refusing a column with too many values or none. */
function distinctLevels(name: string, rowCount: number, cellAt: (k: number) => string): string[] {
  const levels = new Set<string>();
  for (let k = 0; k < rowCount; k++) {
    const cell = cellAt(k);
    if (!isBlank(cell)) levels.add(cell);
  }
  if (levels.size > MAX_CATEGORICAL_LEVELS) {
    throw new DataError(
      `Input column "${name}" has ${levels.size} distinct values; categorical inputs are one-hot encoded up to ${MAX_CATEGORICAL_LEVELS} levels. Leave it out of --inputs, or group its values.`,
    );
  }
  if (levels.size === 0) {
    throw new DataError(`Input column "${name}" has no values (every cell is blank). Leave it out of --inputs.`);
  }
  return [...levels].sort();
}

/** Repaired copies of the columns, aligned on the kept rows, with what was changed. */
interface RepairResult {
  columns: Float64Array[];
  /** Indexes (into the data rows) of the kept rows. */
  keptRows: Int32Array;
  interpolated: InterpolatedCells[];
  dropped: number[];
  warnings: string[];
}

/**
 * Makes the columns gap-free on common rows: 'drop' keeps only rows valid in every column; 'interpolate' keeps the
 * rows from the first to the last row where every column has had a value, filling gaps linearly by row position.
 */
function repairMissing(columns: NamedValues[], fileRows: number[], mode: 'interpolate' | 'drop'): RepairResult {
  const rowCount = fileRows.length;
  const warnings: string[] = [];
  const interpolated: InterpolatedCells[] = [];
  const isValid = (row: number) => columns.every((column) => !Number.isNaN(column.values[row]));
  let keptRows: Int32Array;
  if (mode === 'drop') {
    const valid = new Int32Array(rowCount);
    let count = 0;
    for (let row = 0; row < rowCount; row++) if (isValid(row)) valid[count++] = row;
    keptRows = valid.slice(0, count);
  } else {
    let start = 0;
    let end = rowCount - 1;
    for (const { values } of columns) {
      let first = 0;
      while (first < rowCount && Number.isNaN(values[first])) first++;
      let last = rowCount - 1;
      while (last >= 0 && Number.isNaN(values[last])) last--;
      start = Math.max(start, first);
      end = Math.min(end, last);
    }
    keptRows = new Int32Array(Math.max(0, end - start + 1));
    for (let k = 0; k < keptRows.length; k++) keptRows[k] = start + k;
  }
  const repaired = columns.map((column) => {
    const values = new Float64Array(keptRows.length);
    for (let k = 0; k < keptRows.length; k++) values[k] = column.values[keptRows[k]];
    const filled = fillGapsLinearly(values);
    if (filled.length > 0) {
      const rows = filled.map((position) => fileRows[keptRows[position]]);
      interpolated.push({ column: column.name, rows });
      warnings.push(`Interpolated ${countOf(rows.length, 'missing, non-numeric or infinite cell')} in "${column.name}" (${rowList(rows)}).`);
    }
    return values;
  });
  const kept = new Uint8Array(rowCount);
  for (const row of keptRows) kept[row] = 1;
  const dropped: number[] = [];
  for (let row = 0; row < rowCount; row++) if (!kept[row]) dropped.push(fileRows[row]);
  if (dropped.length > 0) {
    const reason = mode === 'drop' ? 'with missing, non-numeric or infinite values' : 'at the start or end without a value in every column';
    warnings.push(`Dropped ${countOf(dropped.length, 'row')} ${reason} (${rowList(dropped)}).`);
  }
  return { columns: repaired, keptRows, interpolated, dropped, warnings };
}

/** f of every cell into a Float64Array (Float64Array.from with a map function boxes every value first). */
function mapToFloat64(cells: string[], f: (cell: string) => number): Float64Array {
  const out = new Float64Array(cells.length);
  for (let k = 0; k < cells.length; k++) out[k] = f(cells[k]);
  return out;
}

/** Replaces NaN runs between valid values by linear interpolation, in place; returns the filled positions. */
function fillGapsLinearly(values: Float64Array): number[] {
  const filled: number[] = [];
  let previous = -1;
  values.forEach((value, position) => {
    if (Number.isNaN(value)) {
      return;
    }
    for (let gap = previous + 1; previous >= 0 && gap < position; gap++) {
      const fraction = (gap - previous) / (position - previous);
      values[gap] = values[previous] + fraction * (value - values[previous]);
      filled.push(gap);
    }
    previous = position;
  });
  return filled;
}

/** Warnings for times that go backwards or repeat; rows stay in file order. */
function timeOrderWarnings(name: string, time: Float64Array, rowNumbers: Int32Array): string[] {
  const backwards: number[] = [];
  const repeated: number[] = [];
  for (let row = 1; row < time.length; row++) {
    if (time[row] < time[row - 1]) {
      backwards.push(rowNumbers[row]);
    } else if (time[row] === time[row - 1]) {
      repeated.push(rowNumbers[row]);
    }
  }
  const warnings: string[] = [];
  if (backwards.length > 0) {
    warnings.push(
      `Times in "${name}" go backwards at ${countOf(backwards.length, 'row')} (${rowList(backwards)}); rows were kept in file order, sort the file if the order is wrong.`,
    );
  }
  if (repeated.length > 0) {
    warnings.push(`Times in "${name}" repeat the previous row at ${countOf(repeated.length, 'row')} (${rowList(repeated)}); rows were kept.`);
  }
  return warnings;
}

function quotedList(values: string[]): string {
  return values.map((value) => `"${value}"`).join(', ');
}

function countOf(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** "rows 3, 5, 9" or "rows 3, 5, ... and 12 more", capped at ROWS_LISTED row numbers. */
function rowList(rows: number[]): string {
  const listed = rows.slice(0, ROWS_LISTED).join(', ');
  const label = rows.length === 1 ? 'row' : 'rows';
  return rows.length > ROWS_LISTED ? `${label} ${listed} and ${rows.length - ROWS_LISTED} more` : `${label} ${listed}`;
}
