// Labels every row of a CSV/TSV with a classify run and writes a copy beside it with the predicted label and its probability.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeColumns } from './data/csv/columns';
import { readLabelledTable } from './data/labelled';
import type { CsvTable } from './data/csv/tokenize';
import { classifyData, classifyTexts, type LoadedRun } from './predict';
import { readSource } from './source';
import { UsageError } from '../shared/options';

/** What {@link labelFile} wrote. */
export interface LabelledFile {
  /** The new file, beside the input. */
  output: string;
  /** The column whose texts were labelled. */
  textColumn: string;
  rows: number;
}

/** The most texts classified per call of the model (rows are scored in batches of similar length within it). */
const CHUNK_ROWS = 1000;

/**
 * Classifies the text of every row of `file` and writes `<stem>.labelled.csv` beside it (`<stem>.labelled-2.csv` and
 * so on when that exists; never over a file): the file's columns as read, then `predicted` and `probability`. The
 * texts are in the run's text column when the file has it (by header name, or by position when neither has a
 * header), else in the first column of texts of several words.
 * @throws UsageError for a run that is no classifier, a file that is no CSV/TSV, or one without a column of texts.
 */
export function labelFile(run: LoadedRun, file: string): LabelledFile {
  const data = classifyData(run);
  const { table } = readLabelledTable(readSource({ file }).text);
  const column = textColumnOf(table, data.textColumn, data.header);
  const texts = table.rows.map((row) => row[column] ?? '');
  const lines: string[] = table.hasHeader ? [csvLine([...table.names, 'predicted', 'probability'])] : [];
  for (let first = 0; first < texts.length; first += CHUNK_ROWS) {
    const chunk = texts.slice(first, first + CHUNK_ROWS);
    const results = classifyTexts(run, chunk);
    chunk.forEach((text, k) => {
      const best = results[k].labels[0];
      const row = table.rows[first + k];
      const cells = [...row, ...new Array<string>(Math.max(0, table.names.length - row.length)).fill('')];
      lines.push(csvLine([...cells, text.trim() === '' ? '' : best.label, text.trim() === '' ? '' : String(Number(best.prob.toPrecision(6)))]));
    });
  }
  const output = writeBeside(file, lines.join('\n') + '\n');
  return { output, textColumn: table.names[column], rows: texts.length };
}

/** The index of the column of texts: the run's (by name, or by position when neither file has a header), else the first column mostly of several words. */
function textColumnOf(table: CsvTable, runColumn: string, runHeader: boolean): number {
  const byName = table.hasHeader ? table.names.indexOf(runColumn) : -1;
  if (byName >= 0) return byName;
  const position = /^column(\d+)$/.exec(runColumn);
  if (!table.hasHeader && !runHeader && position && Number(position[1]) <= table.names.length) return Number(position[1]) - 1;
  const columns = analyzeColumns(table);
  const wordy = columns.find((column) => {
    if (column.info.kind !== 'text') return false;
    const cells = table.rows.map((row) => row[column.info.index] ?? '').filter((cell) => cell !== '');
    return cells.filter((cell) => /\S\s+\S/.test(cell)).length >= cells.length / 2;
  });
  if (!wordy)
    throw new UsageError(
      `No column of the file holds texts to label: it has no column "${runColumn}" (the run's texts) and none of several words (${table.names.join(', ')}).`,
    );
  return wordy.info.index;
}

/** One CSV line: cells with a comma, quote, line break or outer space are quoted, inner quotes doubled. */
function csvLine(cells: readonly string[]): string {
  return cells.map((cell) => (/[",\r\n]|^\s|\s$/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell)).join(',');
}

/** Writes `<stem>.labelled.csv` beside `file`, or the first `<stem>.labelled-N.csv` that does not exist; returns its path. */
function writeBeside(file: string, content: string): string {
  const { dir, name } = path.parse(path.resolve(file));
  for (let n = 1; ; n++) {
    const output = path.join(dir, `${name}.labelled${n === 1 ? '' : `-${n}`}.csv`);
    let fd: number;
    try {
      fd = fs.openSync(output, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw new UsageError(`Cannot write ${output}: ${(error as Error).message}.`);
    }
    try {
      fs.writeFileSync(fd, content);
    } finally {
      fs.closeSync(fd);
    }
    return output;
  }
}
