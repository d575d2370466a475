// Detects a header row of column names over columns that hold only text, where no column turns to numbers below it.
import { classifyCell } from './cells';

/** The longest column name, in characters and in words. */
const MAX_NAME_CHARS = 40;
const MAX_NAME_WORDS = 4;
/** A column name: a letter or underscore, then letters, digits, underscores, spaces, hyphens, dots, slashes or parentheses. */
const NAME_PATTERN = /^[\p{L}_][\p{L}\p{N}_ .\-/()]*$/u;
/** A column differs in kind from its name when fewer than this share of its cells have the name's shape. */
const SAME_SHAPE_SHARE = 0.5;
/** Most words of a cell shaped as a name rather than free text. */
const SHORT_WORDS = 2;

/** The rough shape of a cell: its kind, or for a name of at most SHORT_WORDS words its letter case; `free` for other text (sentences, punctuation). */
type Shape = 'blank' | 'number' | 'date' | 'free' | 'lower' | 'upper' | 'capitalized' | 'mixed';

/**
 * Whether the first row names the columns below it: every cell is a short name (see NAME_PATTERN), the names are
 * distinct, none recurs in its column below, and some column differs from its name in kind (sentences under `text`,
 * `Alice` under `name`) or holds a few repeated values that its name is not one of (`ham`/`spam` under `label`).
 */
export function looksLikeNameRow(first: readonly string[], sample: readonly string[][], delimiter: string): boolean {
  if (sample.length === 0 || !first.every((cell) => isColumnName(cell, delimiter))) {
    return false;
  }
  const names = first.map((cell) => cell.toLowerCase());
  if (new Set(names).size < names.length) {
    return false;
  }
  const columns = names.map((_, index) => sample.map((row) => row[index] ?? '').filter((cell) => cell !== ''));
  if (columns.some((cells, index) => cells.some((cell) => cell.toLowerCase() === names[index]))) {
    return false;
  }
  return columns.some((cells, index) => differsInKind(first[index], cells, delimiter) || isCategorical(cells));
}

/** A cell that could name a column: a short text of a few words that matches NAME_PATTERN. */
function isColumnName(cell: string, delimiter: string): boolean {
  return cell.length <= MAX_NAME_CHARS && NAME_PATTERN.test(cell) && words(cell).length <= MAX_NAME_WORDS && classifyCell(cell, delimiter) === 'text';
}

/** Whether fewer than SAME_SHAPE_SHARE of the cells have the name's shape. */
function differsInKind(name: string, cells: readonly string[], delimiter: string): boolean {
  const shape = shapeOf(name, delimiter);
  return cells.length > 0 && cells.filter((cell) => shapeOf(cell, delimiter) === shape).length < SAME_SHAPE_SHARE * cells.length;
}

/** Whether the cells repeat a few values: at most half as many distinct values as cells. */
function isCategorical(cells: readonly string[]): boolean {
  return cells.length > 1 && new Set(cells).size <= cells.length / 2;
}

function shapeOf(cell: string, delimiter: string): Shape {
  const kind = classifyCell(cell, delimiter);
  if (kind !== 'text') {
    return kind;
  }
  if (!isColumnName(cell, delimiter) || words(cell).length > SHORT_WORDS) {
    return 'free';
  }
  if (cell === cell.toLowerCase()) {
    return 'lower';
  }
  if (cell === cell.toUpperCase()) {
    return 'upper';
  }
  return words(cell).every((word) => word === word[0].toUpperCase() + word.slice(1).toLowerCase()) ? 'capitalized' : 'mixed';
}

function words(cell: string): string[] {
  return cell.split(/\s+/).filter((word) => word !== '');
}
