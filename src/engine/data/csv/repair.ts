// Missing-value repair of aligned columns: linear interpolation inside gaps, or dropping incomplete rows.
import { countOf, rowList } from './messages';

/** A column's values plus the name used in reports. */
export interface NamedValues {
  name: string;
  values: Float64Array;
}

/** Cells that were repaired in one column. */
export interface InterpolatedCells {
  column: string;
  /** 1-based file lines of the repaired cells. */
  rows: number[];
}

/** Repaired copies of the columns, aligned on the kept rows, with what was changed. */
export interface RepairResult {
  columns: Float64Array[];
  /** Indexes (into the data rows) of the kept rows. */
  keptRows: Int32Array;
  interpolated: InterpolatedCells[];
  dropped: number[];
  warnings: string[];
}

/**
 * Makes the columns gap-free on common rows: 'drop' keeps only rows valid in every column; 'interpolate' keeps the
 * rows from the first to the last row where every column has had a value, filling gaps linearly by row position.
 */
export function repairMissing(columns: NamedValues[], fileRows: number[], mode: 'interpolate' | 'drop'): RepairResult {
  const rowCount = fileRows.length;
  const warnings: string[] = [];
  const interpolated: InterpolatedCells[] = [];
  const isValid = (row: number) => columns.every((column) => !Number.isNaN(column.values[row]));
  let keptRows: Int32Array;
  if (mode === 'drop') {
    const valid = new Int32Array(rowCount);
    let count = 0;
    for (let row = 0; row < rowCount; row++) if (isValid(row)) valid[count++] = row;
    keptRows = valid.slice(0, count);
  } else {
    let start = 0;
    let end = rowCount - 1;
    for (const { values } of columns) {
      let first = 0;
      while (first < rowCount && Number.isNaN(values[first])) first++;
      let last = rowCount - 1;
      while (last >= 0 && Number.isNaN(values[last])) last--;
      start = Math.max(start, first);
      end = Math.min(end, last);
    }
    keptRows = new Int32Array(Math.max(0, end - start + 1));
    for (let k = 0; k < keptRows.length; k++) keptRows[k] = start + k;
  }
  // Gaps are filled over the whole column, then the kept rows taken: a column may have a gap at the window's start or
  // end (its first value came earlier, another column's later), which only its neighbours outside the window can fill.
  const window = mode === 'interpolate' && keptRows.length > 0 ? { start: keptRows[0], end: keptRows[keptRows.length - 1] } : undefined;
  const repaired = columns.map((column) => {
    const full = Float64Array.from(column.values);
    const filled = fillGapsLinearly(full).filter((row) => window !== undefined && row >= window.start && row <= window.end);
    const values = new Float64Array(keptRows.length);
    for (let k = 0; k < keptRows.length; k++) values[k] = full[keptRows[k]];
    if (filled.length > 0) {
      const rows = filled.map((row) => fileRows[row]);
      interpolated.push({ column: column.name, rows });
      warnings.push(`Interpolated ${countOf(rows.length, 'missing, non-numeric or infinite cell')} in "${column.name}" (${rowList(rows)}).`);
    }
    return values;
  });
  const kept = new Uint8Array(rowCount);
  for (const row of keptRows) kept[row] = 1;
  const dropped: number[] = [];
  for (let row = 0; row < rowCount; row++) if (!kept[row]) dropped.push(fileRows[row]);
  if (dropped.length > 0) {
    const reason = mode === 'drop' ? 'with missing, non-numeric or infinite values' : 'at the start or end without a value in every column';
    warnings.push(`Dropped ${countOf(dropped.length, 'row')} ${reason} (${rowList(dropped)}).`);
  }
  return { columns: repaired, keptRows, interpolated, dropped, warnings };
}

/** Replaces NaN runs between valid values by linear interpolation, in place; returns the filled positions in order. */
function fillGapsLinearly(values: Float64Array): number[] {
  const filled: number[] = [];
  let previous = -1;
  values.forEach((value, position) => {
    if (Number.isNaN(value)) {
      return;
    }
    for (let gap = previous + 1; previous >= 0 && gap < position; gap++) {
      const fraction = (gap - previous) / (position - previous);
      // Weighted, so that values of opposite sign near the float limits cannot overflow to infinity.
      values[gap] = (1 - fraction) * values[previous] + fraction * value;
      filled.push(gap);
    }
    previous = position;
  });
  return filled;
}
