// A forecast written as rows in a CSV file's own format, to show after the file's last data row.
import { detectDayOrder } from './cells';
import { formatNumberLike, formatPadded, formatTimeLike } from './cellFormat';
import { analyzeColumns, resolveColumn, type ColumnAnalysis } from './columns';
import { datePartOf, timeAxisColumns } from './timeAxis';
import { cellsAsWritten, parseCsvTable, type CsvTable } from './tokenize';
import type { SeriesDataInfo } from '../../../shared/runFolder';

/** A column of the time axis and how it writes a time. */
interface TimeCell {
  index: number;
  write: (time: number) => string;
}

/**
 * The forecast as CSV rows (without line endings) shaped like the file's last data row, the file read as the engine reads
 * it: its delimiter; the target column holding each value with the decimals of the column's last number; the time axis (the
 * date column, or the year/month/day/hour/minute columns) holding each time (epoch ms) in the layout of its last cell;
 * quotes around a cell where the last row quotes it; every other cell empty. Time cells stay empty without `time`, or when
 * the file has no time axis.
 * @throws DataError when the text is no CSV the engine reads, or has no column `info.target`.
 */
export function forecastRows(text: string, info: Pick<SeriesDataInfo, 'target'>, forecast: readonly number[], time: readonly number[] | null): string[] {
  const table = parseCsvTable(text);
  const columns = analyzeColumns(table);
  const target = resolveColumn(columns, info.target);
  const targetExample = lastValueCell(table, target, target.numbers);
  const timeCells = time ? timeAxisCells(table, columns) : [];
  const quoted = quotedCells(text, table);
  return forecast.map((value, step) => {
    const cells = table.names.map(() => '');
    const fill = (index: number, cell: string) => {
      cells[index] = quoted[index] ? `"${cell}"` : cell;
    };
    fill(target.info.index, formatNumberLike(targetExample, value));
    const at = time?.[step];
    if (at !== undefined) timeCells.forEach(({ index, write }) => fill(index, write(at)));
    return cells.join(table.delimiter);
  });
}

/** The columns of the file's time axis, found as the engine finds it, each writing a time like its last cell. */
function timeAxisCells(table: CsvTable, columns: ColumnAnalysis[]): TimeCell[] {
  const axis = timeAxisColumns(columns);
  if (!axis) {
    return [];
  }
  if (axis.kind === 'date') {
    const { column } = axis;
    const example = lastValueCell(table, column, column.dates as Float64Array);
    const { order } = detectDayOrder(table.rows.map((row) => row[column.info.index] ?? ''));
    return [{ index: column.info.index, write: (time) => formatTimeLike(example, time, order) }];
  }
  return [...axis.parts].map(([part, column]) => {
    // A part column pads when some cell of it has a leading zero (`01`).
    const padded = table.rows.find((row) => /^0\d/.test(row[column.info.index] ?? ''))?.[column.info.index];
    return { index: column.info.index, write: (time) => formatPadded(datePartOf(time, part), padded?.length ?? 1) };
  });
}

/** The column's last cell that holds a value (`values` is NaN where a cell holds none), as read; '' when no cell does. */
function lastValueCell(table: CsvTable, column: ColumnAnalysis, values: Float64Array): string {
  for (let row = values.length - 1; row >= 0; row--) {
    if (!Number.isNaN(values[row])) return table.rows[row][column.info.index];
  }
  return '';
}

/**
 * Whether the file quotes each cell of its last data row, read from the text's last line that holds a cell; none are
 * quoted when that line is not the whole row (a quoted cell holds a line break or the delimiter).
 */
function quotedCells(text: string, table: CsvTable): boolean[] {
  const lastRow = table.rows[table.rows.length - 1] ?? [];
  for (let end = text.length; end > 0;) {
    const start = Math.max(text.lastIndexOf('\n', end - 1), text.lastIndexOf('\r', end - 1)) + 1;
    const cells = cellsAsWritten(text.slice(start, end), table.delimiter);
    if (cells === null || cells.some((cell) => cell.text !== '')) {
      const whole = cells !== null && cells.length === lastRow.length && cells.every((cell, index) => cell.text === lastRow[index]);
      return whole ? cells.map((cell) => cell.quoted) : [];
    }
    end = start - 1;
  }
  return [];
}
