// Wording shared by the data messages: quoted lists, counted nouns and capped row lists.
const ROWS_LISTED = 10;

/** The longest value a message shows whole; longer ones are cut with "…". */
const SHOWN_VALUE_CHARS = 40;

/** `"a", "b"`: values quoted and joined for a message (each as {@link shownValue}). */
export function quotedList(values: string[]): string {
  return values.map((value) => `"${shownValue(value)}"`).join(', ');
}

/**
 * A file's value as a one-line message shows it: line breaks, tabs and other control characters escaped as in JSON
 * (a quoted cell may hold them), and cut at SHOWN_VALUE_CHARS characters.
 */
export function shownValue(value: string): string {
  const chars = Array.from(value);
  const cut = chars.length > SHOWN_VALUE_CHARS ? chars.slice(0, SHOWN_VALUE_CHARS).join('') + '…' : value;
  return JSON.stringify(cut).slice(1, -1).replaceAll('\\"', '"');
}

/** `1 row`, `3 rows`: a count with its noun, plural when the count is not 1. */
export function countOf(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** "rows 3, 5, 9" or "rows 3, 5, ... and 12 more", capped at ROWS_LISTED row numbers. */
export function rowList(rows: number[]): string {
  const listed = rows.slice(0, ROWS_LISTED).join(', ');
  const label = rows.length === 1 ? 'row' : 'rows';
  return rows.length > ROWS_LISTED ? `${label} ${listed} and ${rows.length - ROWS_LISTED} more` : `${label} ${listed}`;
}
