// Writes values in the textual format of an example cell of the same column: its decimals, its date layout, its padding.
import { offsetMinutes, YEAR_FIRST_DATE, YEAR_LAST_DATE, type DayOrder } from './cells';

/** A field of a date-time, as a group of YEAR_FIRST_DATE or YEAR_LAST_DATE holds it. */
type DateField = 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second' | 'milli';

const TIME_FIELDS: DateField[] = ['hour', 'minute', 'second', 'milli'];
const YEAR_FIRST = new RegExp(YEAR_FIRST_DATE.source, YEAR_FIRST_DATE.flags + 'd');
const YEAR_LAST = new RegExp(YEAR_LAST_DATE.source, YEAR_LAST_DATE.flags + 'd');

/**
 * A number with as many decimals as `example`, a number cell such as `13.0`, `7` or `1,25` (then with a decimal comma too).
 */
export function formatNumberLike(example: string, value: number): string {
  const mantissa = example.split(/[eE]/)[0];
  const decimals = /[.,](\d*)$/.exec(mantissa)?.[1].length ?? 0;
  const text = value.toFixed(Math.min(decimals, 100));
  return mantissa.includes(',') ? text.replace('.', ',') : text;
}

/**
 * A whole number zero-padded to `width`, such as a date part (`7`, or `07` for width 2).
 */
export function formatPadded(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/**
 * A time (epoch ms) written in the layout of `example`, a date cell the engine reads (see parseDate): the same field order,
 * separators, time-of-day fields and UTC offset, each field at the example's offset. Month, day and hour are zero-padded
 * unless the example writes one of them with a single digit (`2024/3/15`, `9:00`). Without a date in `example`, ISO 8601.
 */
export function formatTimeLike(example: string, time: number, order: DayOrder): string {
  const yearFirst = YEAR_FIRST.exec(example);
  const match = yearFirst ?? YEAR_LAST.exec(example);
  if (!match?.indices) {
    return new Date(time).toISOString();
  }
  const dateFields: DateField[] = yearFirst ? ['year', 'month', 'day'] : order === 'dayFirst' ? ['day', 'month', 'year'] : ['month', 'day', 'year'];
  const fields = [...dateFields, ...TIME_FIELDS];
  const at = new Date(time + offsetMinutes(match[8]) * 60_000);
  const values: Record<DateField, number> = {
    year: at.getUTCFullYear(),
    month: at.getUTCMonth() + 1,
    day: at.getUTCDate(),
    hour: at.getUTCHours(),
    minute: at.getUTCMinutes(),
    second: at.getUTCSeconds(),
    milli: at.getUTCMilliseconds(),
  };
  const written = (field: DateField) => match[1 + fields.indexOf(field)];
  const unpadded = (['month', 'day'] as DateField[]).some((field) => written(field)?.length === 1);
  const width = (field: DateField, text: string): number => {
    if (field === 'year') return 4;
    if (field === 'hour') return text.length;
    return (field === 'month' || field === 'day') && unpadded ? 1 : 2;
  };
  let out = example;
  // From the last field to the first, so that the spans of the earlier ones stay where they are.
  for (let group = fields.length; group >= 1; group--) {
    const span = match.indices[group];
    if (!span) continue;
    const field = fields[group - 1];
    // Milliseconds are written to the example's digits (`.5` for 500 ms); digits past the third stay zero.
    const end = field === 'milli' ? span[0] + (/^\d*/.exec(example.slice(span[0]))?.[0].length ?? 0) : span[1];
    const text = example.slice(span[0], end);
    const digits =
      field === 'milli' ? formatPadded(values.milli, 3).padEnd(text.length, '0').slice(0, text.length) : formatPadded(values[field], width(field, text));
    out = out.slice(0, span[0]) + digits + out.slice(end);
  }
  return out;
}
