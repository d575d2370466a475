// The time axis of a CSV: its date column, or year/month/day/hour/minute columns, and warnings on its order.
import type { ColumnAnalysis } from './columns';
import { countOf, rowList } from './messages';

/** A calendar field held by a numeric column named like one (year, month, day, hour, minute). */
export type DatePart = 'year' | 'month' | 'day' | 'hour' | 'minute';

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

/** The time axis of a file, before missing-value repair. */
export interface TimeAxis {
  name: string;
  values: Float64Array;
}

/** The columns a time axis is read from: one date column, or the first column of each date part (a year column at least), in file order. */
export type TimeAxisColumns = { kind: 'date'; column: ColumnAnalysis } | { kind: 'parts'; parts: Map<DatePart, ColumnAnalysis> };

/** The date part a numeric column holds, judged by its name and by all its values being whole numbers in range. */
export function detectDatePart(name: string, numbers: Float64Array): DatePart | null {
  const part = (Object.keys(DATE_PART_NAMES) as DatePart[]).find((key) => DATE_PART_NAMES[key].test(name.trim()));
  if (!part) {
    return null;
  }
  const [low, high] = DATE_PART_RANGES[part];
  return numbers.every((value) => Number.isNaN(value) || (Number.isInteger(value) && value >= low && value <= high)) ? part : null;
}

/** The date column to use as time axis: the first one named like a time, else the first date column. */
export function chooseDateColumn(columns: ColumnAnalysis[]): ColumnAnalysis | undefined {
  const dateColumns = columns.filter((column) => column.info.kind === 'date');
  return dateColumns.find((column) => TIME_NAME_PATTERN.test(column.info.name)) ?? dateColumns[0];
}

/** The chosen date column, else the date-part columns when there is a year column; null when neither exists. */
export function timeAxisColumns(columns: ColumnAnalysis[]): TimeAxisColumns | null {
  const dateColumn = columns.find((column) => column.info.isTime && column.dates);
  if (dateColumn) {
    return { kind: 'date', column: dateColumn };
  }
  const parts = new Map<DatePart, ColumnAnalysis>();
  for (const column of columns) {
    if (column.datePart && !parts.has(column.datePart)) {
      parts.set(column.datePart, column);
    }
  }
  return parts.has('year') ? { kind: 'parts', parts } : null;
}

/** The time axis: the chosen date column, else a timestamp built from year[, month, day, hour, minute] columns; null when neither exists. */
export function findTimeAxis(columns: ColumnAnalysis[]): TimeAxis | null {
  const axis = timeAxisColumns(columns);
  if (!axis) {
    return null;
  }
  if (axis.kind === 'date') {
    return { name: axis.column.info.name, values: axis.column.dates as Float64Array };
  }
  const { parts } = axis;
  const partValue = (part: DatePart, row: number, fallback: number) => parts.get(part)?.numbers[row] ?? fallback;
  const values = (parts.get('year') as ColumnAnalysis).numbers.map((year, row) => {
    const month = partValue('month', row, 1);
    const day = partValue('day', row, 1);
    const time = Date.UTC(year, month - 1, day, partValue('hour', row, 0), partValue('minute', row, 0));
    return new Date(time).getUTCDate() === day ? time : NaN;
  });
  return { name: [...parts.keys()].join('+'), values };
}

/** The value a date-part column holds at a time of the axis (read as UTC, as findTimeAxis builds it). */
export function datePartOf(time: number, part: DatePart): number {
  const date = new Date(time);
  const values: Record<DatePart, number> = {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hour: date.getUTCHours(),
    minute: date.getUTCMinutes(),
  };
  return values[part];
}

/** Warnings for times that go backwards or repeat; rows stay in file order. */
export function timeOrderWarnings(name: string, time: Float64Array, rowNumbers: Int32Array): string[] {
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
