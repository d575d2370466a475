// One-hot encoding of categorical (text) input columns.
import { isBlank } from './cells';
import { PREVIEW_LENGTH, type ColumnAnalysis } from './columns';
import { DataError } from './dataError';
import { countOf, quotedList, rowList } from './messages';
import type { NamedValues } from './repair';
import type { CsvTable } from './tokenize';

/** Most levels a categorical input may have: each level becomes an input column, and more distinct values suggest an ID or free text rather than a category. */
const MAX_CATEGORICAL_LEVELS = 32;

/** How a categorical input column was one-hot encoded: one 0/1 input `column=level` per level, in this order. */
export interface CategoricalEncoding {
  column: string;
  levels: string[];
}

/** A categorical input's one-hot columns on the kept rows, with its levels and notes on cells that match no level. */
export interface OneHotColumns {
  encoding: CategoricalEncoding;
  columns: NamedValues[];
  warnings: string[];
}

/**
 * One-hot encodes a categorical column on the kept rows: one 0/1 column `name=level` per level, the levels being the
 * sorted distinct non-blank cells, or `fixedLevels` when given. Blank cells and values outside fixed levels are all zeros.
 * @throws DataError when the column has more than MAX_CATEGORICAL_LEVELS levels, or none.
 */
export function oneHotEncode(table: CsvTable, column: ColumnAnalysis, keptRows: Int32Array, fixedLevels: string[] | undefined): OneHotColumns {
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
