// Loads a numeric time series from CSV text: tokenizing, column choice, time axis, missing-value repair and one-hot inputs.
import { oneHotEncode, type CategoricalEncoding } from './categorical';
import { analyzeColumns, defaultTarget, requireUniqueName, resolveColumn, resolveNumericColumn, uniqueColumns, type ColumnAnalysis } from './columns';
import { DataError } from './dataError';
import { countOf, quotedList } from './messages';
import { repairMissing, type InterpolatedCells, type NamedValues } from './repair';
import { findTimeAxis, timeOrderWarnings } from './timeAxis';
import { parseCsvTable } from './tokenize';

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
