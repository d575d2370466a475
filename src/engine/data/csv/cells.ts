// Reads single CSV cells: missing values, plain numbers (with decimal commas), and dates or date-times.
/** A column is numeric when at least this share of its non-blank cells are numbers; a first row above a column this typed (numbers or dates) is a header. */
export const NUMERIC_SHARE = 0.5;
const BLANK_TOKENS = new Set(['', 'na', 'n/a', 'nan', 'null', 'none', 'nil', '-', '--', '?', '.', '#n/a']);
const NUMBER_PATTERN = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const DECIMAL_COMMA_PATTERN = /^[+-]?\d*,\d+$/;
const TIME_OF_DAY = String.raw`(?:[T ]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?`;
/** `2024-01-31`, `2024/01`, ... with an optional time of day: groups year, month, day, hour, minute, second, milliseconds, offset. */
export const YEAR_FIRST_DATE = new RegExp(String.raw`^(\d{4})[-/.](\d{1,2})(?:[-/.](\d{1,2}))?` + TIME_OF_DAY + '$', 'i');
/** `31/01/2024`, `01.31.2024`, ... with an optional time of day: groups day or month, month or day, year, then as YEAR_FIRST_DATE. */
export const YEAR_LAST_DATE = new RegExp(String.raw`^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})` + TIME_OF_DAY + '$', 'i');

/** Whether `dd/mm/yyyy`-style dates put the day or the month first. */
export type DayOrder = 'dayFirst' | 'monthFirst';

/** An infinite number as files write it: Inf, -Infinity, or a finite-looking number past the largest double (1e400). */
const INFINITE_PATTERN = /^[+-]?(inf|infinity)$/i;

/** Rough type of a single cell, used for header and delimiter detection: an infinite number is a number (a value to repair), not a column name. */
export function classifyCell(cell: string, delimiter: string): 'blank' | 'number' | 'date' | 'text' {
  if (isBlank(cell)) {
    return 'blank';
  }
  if (Number.isFinite(parseNumber(cell, delimiter)) || INFINITE_PATTERN.test(cell) || NUMBER_PATTERN.test(cell)) {
    return 'number';
  }
  return Number.isFinite(parseDate(cell, 'dayFirst')) ? 'date' : 'text';
}

/** Whether a (trimmed) cell holds no value: empty, or a missing-value token such as NA, NaN, null or '-'. */
export function isBlank(cell: string): boolean {
  return BLANK_TOKENS.has(cell.toLowerCase());
}

/** Parses a plain decimal number (a decimal comma is accepted when the delimiter is not a comma); NaN otherwise, including infinities. */
export function parseNumber(cell: string, delimiter: string): number {
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
export function parseDate(cell: string, order: DayOrder): number {
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
export function offsetMinutes(offset: string | undefined): number {
  if (!offset || offset.toUpperCase() === 'Z') {
    return 0;
  }
  const digits = offset.replace(':', '');
  const sign = digits.startsWith('-') ? -1 : 1;
  return sign * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
}

/** Day-first unless a first field above 12 never occurs while a second field above 12 does; ambiguous columns read day-first. */
export function detectDayOrder(cells: string[]): { order: DayOrder; ambiguous: boolean } {
  const fields = cells.map((cell) => YEAR_LAST_DATE.exec(cell)).filter((match) => match !== null);
  const firstOver12 = fields.some((match) => Number(match[1]) > 12);
  const secondOver12 = fields.some((match) => Number(match[2]) > 12);
  return { order: secondOver12 && !firstOver12 ? 'monthFirst' : 'dayFirst', ambiguous: fields.length > 0 && !firstOver12 && !secondOver12 };
}
