// Wording shared by the data messages: quoted lists, counted nouns and capped row lists.
const ROWS_LISTED = 10;

/** `"a", "b"`: values quoted and joined for a message. */
export function quotedList(values: string[]): string {
  return values.map((value) => `"${value}"`).join(', ');
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
