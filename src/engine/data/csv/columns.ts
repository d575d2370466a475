// Column analysis (kind, date parts, default target) and resolution of the columns a run names by header name or index.
import { detectDayOrder, isBlank, NUMERIC_SHARE, parseDate, parseNumber } from './cells';
import { DataError } from './dataError';
import { quotedList, shownValue } from './messages';
import { chooseDateColumn, detectDatePart, type DatePart } from './timeAxis';
import { parseCsvTable, type CsvTable } from './tokenize';

/** A column is a date column when at least this share of its non-blank cells are dates (see NUMERIC_SHARE for numbers). */
const DATE_SHARE = 0.8;
/** Cells shown of a column, and values quoted in messages about one. */
export const PREVIEW_LENGTH = 5;

/** What a column mostly holds: numbers, dates/times, or anything else. */
export type ColumnKind = 'numeric' | 'date' | 'text';

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

/** Everything learned about one column from its cells. */
export interface ColumnAnalysis {
  info: CsvColumnInfo;
  /** Parsed numbers, NaN where a cell is not a finite number. */
  numbers: Float64Array;
  /** Parsed epoch ms for date columns, NaN where a cell is not a date; null for other columns. */
  dates: Float64Array | null;
  datePart: DatePart | null;
  /** A column named in the header whose every cell is blank (empty, NA, NaN, ...). */
  empty: boolean;
}

/**
 * Describes every column of a CSV file for the UI: kind, numeric cell count and a short preview.
 * @throws DataError when the text holds no data rows.
 */
export function describeCsvColumns(text: string): CsvColumnInfo[] {
  return analyzeColumns(parseCsvTable(text)).map((column) => column.info);
}

/** Parses every column, decides its kind and role, and marks the default target. */
export function analyzeColumns(table: CsvTable): ColumnAnalysis[] {
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

/** Numeric columns that may serve as target or input by default: not a time column, not a date part. */
function targetCandidates(columns: ColumnAnalysis[]): ColumnAnalysis[] {
  return columns.filter((column) => column.info.kind === 'numeric' && !column.info.isTime);
}

/**
 * The last numeric non-time column, by the common convention of putting the target last.
 * @throws DataError when the last named column is empty, or no column is numeric.
 */
export function defaultTarget(columns: ColumnAnalysis[]): ColumnAnalysis {
  const target = columns.find((column) => column.info.isDefaultTarget);
  const empty = columns.filter((column) => column.empty).at(-1);
  if (empty && empty.info.index > (target?.info.index ?? -1)) {
    throw new DataError(
      `Column "${empty.info.name}" is empty (every cell is blank or NaN), so there is no series to forecast: fill it in or choose another target. ${numericColumnsHint(columns)}`,
    );
  }
  if (!target) {
    const described = columns.map((column) => `${shownValue(column.info.name)} (${column.info.isTime ? 'time' : column.info.kind})`).join(', ');
    throw new DataError(`No numeric column to use as target. Columns: ${described}. Check the delimiter and that values are plain numbers like 12.5.`);
  }
  return target;
}

/**
 * Resolves a column reference and checks that the column holds numbers.
 * @throws DataError as resolveColumn does, and when the column is not numeric.
 */
export function resolveNumericColumn(columns: ColumnAnalysis[], ref: string | number): ColumnAnalysis {
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

/**
 * Finds a column by 0-based index, exact name, or unique case-insensitive name.
 * @throws DataError when the index is out of range, or the name matches no column or several.
 */
export function resolveColumn(columns: ColumnAnalysis[], ref: string | number): ColumnAnalysis {
  const names = columns.map((column) => column.info.name);
  if (typeof ref === 'number' || (/^\d+$/.test(ref.trim()) && !names.includes(ref))) {
    const index = Number(ref);
    if (!Number.isInteger(index) || index < 0 || index >= columns.length) {
      throw new DataError(
        `Column index ${ref} is out of range: the file has ${columns.length} columns, indexes 0-${columns.length - 1} (${names.map(shownValue).join(', ')}).`,
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
    throw new DataError(`Column "${shownValue(String(ref))}" not found. Columns: ${names.map(shownValue).join(', ')}.`);
  }
  return matches[0];
}

function numericColumnsHint(columns: ColumnAnalysis[]): string {
  const candidates = targetCandidates(columns).map((column) => column.info.name);
  return candidates.length > 0 ? `Numeric columns: ${candidates.join(', ')}. Pass --column NAME.` : 'The file has no numeric column apart from time columns.';
}

/**
 * Refuses a chosen column whose header name another column shares: a run refers to its columns by name.
 * @throws DataError naming the shared name and its indexes.
 */
export function requireUniqueName(columns: ColumnAnalysis[], column: ColumnAnalysis): void {
  const same = columns.filter((other) => other.info.name === column.info.name);
  if (same.length > 1) {
    throw new DataError(
      `The header names ${same.length} columns "${column.info.name}" (indexes ${same.map((other) => other.info.index).join(' and ')}); a run refers to its columns by name. Give each column a unique name in the header row.`,
    );
  }
}

/** The columns without repeats, in first-seen order. */
export function uniqueColumns(columns: ColumnAnalysis[]): ColumnAnalysis[] {
  return columns.filter((column, position) => columns.indexOf(column) === position);
}

/** f of every cell into a Float64Array (Float64Array.from with a map function boxes every value first). */
function mapToFloat64(cells: string[], f: (cell: string) => number): Float64Array {
  const out = new Float64Array(cells.length);
  for (let k = 0; k < cells.length; k++) out[k] = f(cells[k]);
  return out;
}
