// Reads labelled texts from a CSV or TSV: the text and label columns (given or detected), the classes, and the refusals of what cannot train a classifier.
import { analyzeColumns, requireUniqueName, resolveColumn, type ColumnAnalysis } from './csv/columns';
import { DataError } from './csv/dataError';
import { countOf, rowList, shownValue } from './csv/messages';
import { looksLikeHeader, parseCsvTable, type CsvTable } from './csv/tokenize';

/** Most distinct values of a column detected as labels. */
const MAX_DETECTED_CLASSES = 50;
/** Most distinct values of a column detected as labels, as a share of its filled cells (at least 2 values are always allowed). */
const MAX_CLASS_SHARE = 0.2;
/** Header names that mark the label column among several candidates. */
const LABEL_NAMES = /^(labels?|class(es)?|categor(y|ies)|target|sentiment|tag|y)$/i;
/** A column holds texts (for {@link detectLabelledColumns}) when at least this share of its cells have several words. */
const WORDY_SHARE = 0.5;
/** Classes and rows named in one message or note. */
const LISTED = 10;
/** A cell wrapped in quotes as CSV writes it: inner quotes doubled. */
const QUOTED_CELL = /^"((?:[^"]|"")*)"$/s;

/** The texts and labels of a labelled file, row by row, with what was detected and skipped. */
export interface LabelledTexts {
  texts: string[];
  labels: string[];
  /** 1-based file line of each row */
  lines: number[];
  textColumn: string;
  labelColumn: string;
  header: boolean;
  /** distinct labels, first-appearance order */
  classes: string[];
  notes: string[];
}

/** The columns to read, by header name or 0-based index; a column not given is detected. */
export interface LabelledColumnArgs {
  textColumn?: string | number;
  labelColumn?: string | number;
}

/** What is known of one column for choosing the text and label columns. */
interface ColumnStats {
  column: ColumnAnalysis;
  /** How often each distinct non-empty cell occurs. */
  counts: Map<string, number>;
  /** Non-empty cells. */
  filled: number;
  /** Mean characters of the non-empty cells. */
  meanLength: number;
  /** Share of the non-empty cells with several words. */
  wordyShare: number;
}

/** The chosen columns, with notes on how they were detected. */
interface ChosenColumns {
  text: ColumnStats;
  label: ColumnStats;
  notes: string[];
}

/**
 * Reads the texts and labels of a CSV or TSV, with or without header. A column not given is detected: the labels are a
 * column of few repeated values, the texts the column of the longest strings. Rows with an empty text or label are
 * skipped with a note.
 * @throws UsageError (DataError) for a file that is no CSV, columns that are not found or not detected, no texts, one class,
 *   a class of one row, or a label column of free text.
 */
export function loadLabelledTexts(fileText: string, args: LabelledColumnArgs): LabelledTexts {
  const { table, notes } = readLabelledTable(fileText);
  const chosen = chooseColumns(table, args);
  const { text, label } = chosen;
  const rows = readRows(table, text.column, label.column);
  const classes = classCounts(rows.labels);
  refuseClasses(label.column.info.name, classes, rows);
  return {
    ...rows,
    textColumn: text.column.info.name,
    labelColumn: label.column.info.name,
    header: table.hasHeader,
    classes: [...classes.keys()],
    notes: [summary(text.column.info.name, rows.texts, label.column.info.name, classes), ...chosen.notes, ...rows.notes, ...notes, ...table.warnings],
  };
}

/**
 * The text and label columns a classifier would read without --text-column and --label-column, and the number of
 * classes; null when the file does not look like labelled text: it is no CSV, no column looks like labels, or no column
 * holds texts of several words in most cells.
 */
export function detectLabelledColumns(fileText: string): { textColumn: string; labelColumn: string; classes: number } | null {
  try {
    const { text, label } = chooseColumns(readLabelledTable(fileText).table, {});
    return text.wordyShare >= WORDY_SHARE && label.counts.size >= 2
      ? { textColumn: text.column.info.name, labelColumn: label.column.info.name, classes: label.counts.size }
      : null;
  } catch (error) {
    if (error instanceof DataError) {
      return null;
    }
    throw error;
  }
}

/**
 * Parses the file as CSV, except a file whose every line holds a tab when quotes would join its lines or cells start with
 * quotes that do not wrap them (texts such as `ham<TAB>"Hi" he said`): that one is read line by line, split at tabs.
 */
export function readLabelledTable(fileText: string): { table: CsvTable; notes: string[] } {
  const lines = tabbedLines(fileText);
  if (!lines) {
    return { table: parseCsvTable(fileText), notes: [] };
  }
  const parsed = parseOrNull(fileText);
  const stray = lines.cells.flatMap((cells, index) => (cells.some((cell) => cell.startsWith('"') && !QUOTED_CELL.test(cell)) ? [lines.numbers[index]] : []));
  if (parsed && (parsed.delimiter !== '\t' || (stray.length === 0 && parsed.rows.length + Number(parsed.hasHeader) === lines.cells.length))) {
    return { table: parsed, notes: [] };
  }
  const notes = stray.length > 0 ? [`Read as plain tab-separated lines, keeping as text the quotes that do not wrap a whole cell (${rowList(stray)}).`] : [];
  return {
    table: literalTable(
      lines.cells.map((cells) => cells.map(unquote)),
      lines.numbers,
    ),
    notes,
  };
}

/** The trimmed cells and file line of each non-blank line when every such line holds a tab; else null. */
function tabbedLines(fileText: string): { cells: string[][]; numbers: number[] } | null {
  const content = fileText.charCodeAt(0) === 0xfeff ? fileText.slice(1) : fileText;
  const cells: string[][] = [];
  const numbers: number[] = [];
  const lines = content.split(/\r\n|\r|\n/);
  for (let index = 0; index < lines.length; index++) {
    if (lines[index].trim() === '') {
      continue;
    }
    if (!lines[index].includes('\t')) {
      return null;
    }
    cells.push(lines[index].split('\t').map((cell) => cell.trim()));
    numbers.push(index + 1);
  }
  return cells.length > 0 ? { cells, numbers } : null;
}

function parseOrNull(fileText: string): CsvTable | null {
  try {
    return parseCsvTable(fileText);
  } catch (error) {
    if (error instanceof DataError) {
      return null;
    }
    throw error;
  }
}

/** A cell wrapped in quotes without them (inner doubled quotes made single); any other cell as it is. */
function unquote(cell: string): string {
  const match = QUOTED_CELL.exec(cell);
  return match ? match[1].replaceAll('""', '"').trim() : cell;
}

/** A table of tab-separated lines, with the header detected and short or long rows noted as {@link parseCsvTable} does. */
function literalTable(records: string[][], lineNumbers: number[]): CsvTable {
  const hasHeader = looksLikeHeader(records, '\t');
  const width = hasHeader ? records[0].length : records.reduce((widest, record) => Math.max(widest, record.length), 0);
  const named = Array.from({ length: width }, (_, index) => hasHeader && Boolean(records[0][index]));
  const names = named.map((isNamed, index) => (isNamed ? records[0][index] : `column${index + 1}`));
  const rows = hasHeader ? records.slice(1) : records;
  const rowNumbers = hasHeader ? lineNumbers.slice(1) : lineNumbers;
  const ragged = rows.flatMap((row, index) => (row.length === width ? [] : [rowNumbers[index]]));
  const warnings =
    ragged.length > 0
      ? [`${countOf(ragged.length, 'row')} do not have ${width} fields (${rowList(ragged)}); missing fields count as empty, extra fields are ignored.`]
      : [];
  return { delimiter: '\t', hasHeader, names, named, rows, rowNumbers, warnings };
}

/**
 * The text and label columns: those given, the others detected (the label first, among the columns not given as texts).
 * @throws DataError when a given column is not found, both name one column, or no column can be detected.
 */
function chooseColumns(table: CsvTable, args: LabelledColumnArgs): ChosenColumns {
  if (table.rows.length === 0) {
    throw new DataError('The file has a header row but no rows of texts and labels below it. Add labelled rows to the file.');
  }
  const columns = analyzeColumns(table);
  const stats = columns.map((column) => columnStats(table, column));
  const given = (ref: string | number | undefined, flag: string) => (ref === undefined ? undefined : stats[givenColumn(columns, ref, flag).info.index]);
  const givenText = given(args.textColumn, '--text-column');
  const givenLabel = given(args.labelColumn, '--label-column');
  const notes: string[] = [];
  const candidates = stats.filter((column) => column !== givenText);
  const label = givenLabel ?? detectLabel(candidates, notes);
  refuseFreeText(label);
  const text = givenText ?? detectText(stats, label);
  if (text === label) {
    throw new DataError(
      `--text-column and --label-column both name column "${shownValue(text.column.info.name)}": the texts and the labels must be two columns. Pass another column to one of them.`,
    );
  }
  return { text, label, notes };
}

/**
 * A column given by name or index, whose name no other column shares.
 * @throws DataError as resolveColumn and requireUniqueName do, saying which flag named it.
 */
function givenColumn(columns: ColumnAnalysis[], ref: string | number, flag: string): ColumnAnalysis {
  try {
    const column = resolveColumn(columns, ref);
    requireUniqueName(columns, column);
    return column;
  } catch (error) {
    if (error instanceof DataError) {
      throw new DataError(`${flag} ${ref}: ${error.message.replace('--column ', `${flag} `)}`);
    }
    throw error;
  }
}

function columnStats(table: CsvTable, column: ColumnAnalysis): ColumnStats {
  const counts = new Map<string, number>();
  let filled = 0;
  let length = 0;
  let wordy = 0;
  for (const row of table.rows) {
    const cell = row[column.info.index] ?? '';
    if (cell === '') {
      continue;
    }
    counts.set(cell, (counts.get(cell) ?? 0) + 1);
    filled++;
    length += cell.length;
    wordy += /\S\s+\S/.test(cell) ? 1 : 0;
  }
  return { column, counts, filled, meanLength: filled > 0 ? length / filled : 0, wordyShare: filled > 0 ? wordy / filled : 0 };
}

/**
 * Refuses a label column of free text: more than MAX_DETECTED_CLASSES distinct values, most of them once.
 * @throws DataError suggesting --label-column.
 */
function refuseFreeText(label: ColumnStats): void {
  const once = [...label.counts.values()].filter((count) => count === 1).length;
  if (label.counts.size > MAX_DETECTED_CLASSES && once > label.counts.size / 2) {
    throw new DataError(
      `Column "${shownValue(label.column.info.name)}" has ${distinctValues(label)} in ${formatCount(label.filled)} rows, most of them once: it holds free text, not labels. Pass the column of labels with --label-column.`,
    );
  }
}

/** A column of labels: at most MAX_DETECTED_CLASSES distinct values, few for its rows, some repeated. */
function isLabelLike(stats: ColumnStats): boolean {
  const distinct = stats.counts.size;
  return distinct > 0 && distinct <= MAX_DETECTED_CLASSES && distinct <= Math.max(2, MAX_CLASS_SHARE * stats.filled) && distinct < stats.filled;
}

/**
 * The label column among the candidates: one named like labels (LABEL_NAMES), else one of at least 2 classes, else the
 * first; notes the other candidates.
 * @throws DataError when no column looks like labels.
 */
function detectLabel(candidates: ColumnStats[], notes: string[]): ColumnStats {
  const labelLike = candidates.filter(isLabelLike);
  const rank = (stats: ColumnStats) => (LABEL_NAMES.test(stats.column.info.name) ? 0 : 1) * 2 + (stats.counts.size >= 2 ? 0 : 1);
  const label = labelLike.reduce<ColumnStats | undefined>((best, stats) => (best === undefined || rank(stats) < rank(best) ? stats : best), undefined);
  if (!label) {
    const described = candidates.map((stats) => `${shownValue(stats.column.info.name)} (${distinctValues(stats)})`).join(', ');
    throw new DataError(
      `No column looks like labels (at most ${MAX_DETECTED_CLASSES} distinct values, each repeated): ${described}. Pass the column of labels with --label-column.`,
    );
  }
  const others = labelLike.filter((stats) => stats !== label).map((stats) => shownValue(stats.column.info.name));
  if (others.length > 0) {
    notes.push(`Other columns could hold the labels too: ${others.join(', ')}; pass --label-column to choose.`);
  }
  return label;
}

/**
 * The column of the longest strings (by mean) among the text columns other than the labels, leaving out other columns of
 * labels.
 * @throws DataError when there is none.
 */
function detectText(stats: ColumnStats[], label: ColumnStats): ColumnStats {
  const candidates = stats.filter((column) => column !== label && column.column.info.kind === 'text' && column.filled > 0 && !isLabelLike(column));
  const text = candidates.reduce<ColumnStats | undefined>(
    (best, column) => (best === undefined || column.meanLength > best.meanLength ? column : best),
    undefined,
  );
  if (!text) {
    const described = stats.filter((column) => column !== label).map(describeColumn);
    const others = described.length > 0 ? described.join(', ') : 'none';
    throw new DataError(
      `No column holds texts to classify (the labels would be ${shownValue(label.column.info.name)}; the other columns: ${others}). Pass the column of texts with --text-column.`,
    );
  }
  return text;
}

/** `price (numbers)`, `city (3 distinct values)`: what a column holds, for a message. */
function describeColumn(stats: ColumnStats): string {
  const { kind } = stats.column.info;
  const name = shownValue(stats.column.info.name);
  if (stats.filled === 0) {
    return `${name} (empty)`;
  }
  return `${name} (${kind === 'numeric' ? 'numbers' : kind === 'date' ? 'dates' : distinctValues(stats)})`;
}

/** `3,650 distinct values`. */
function distinctValues(stats: ColumnStats): string {
  return `${formatCount(stats.counts.size)} distinct value${stats.counts.size === 1 ? '' : 's'}`;
}

/** The rows that have both a text and a label, with notes on the others. */
interface LabelledRows {
  texts: string[];
  labels: string[];
  lines: number[];
  notes: string[];
}

/**
 * The texts and trimmed labels of the rows that have both, skipping the others with a note.
 * @throws DataError when every text, or every label, is empty.
 */
function readRows(table: CsvTable, text: ColumnAnalysis, label: ColumnAnalysis): LabelledRows {
  const rows: LabelledRows = { texts: [], labels: [], lines: [], notes: [] };
  const noText: number[] = [];
  const noLabel: number[] = [];
  table.rows.forEach((row, index) => {
    const rowText = row[text.info.index] ?? '';
    const rowLabel = (row[label.info.index] ?? '').trim();
    const line = table.rowNumbers[index];
    if (rowText.trim() === '') {
      noText.push(line);
    } else if (rowLabel === '') {
      noLabel.push(line);
    } else {
      rows.texts.push(rowText);
      rows.labels.push(rowLabel);
      rows.lines.push(line);
    }
  });
  if (noText.length === table.rows.length) {
    throw new DataError(`Every text in column "${shownValue(text.info.name)}" is empty. Pass the column of texts with --text-column.`);
  }
  if (rows.texts.length === 0) {
    throw new DataError(`No row with a text has a label in column "${shownValue(label.info.name)}". Pass the column of labels with --label-column.`);
  }
  if (noText.length > 0) {
    rows.notes.push(`Skipped ${countOf(noText.length, 'row')} with an empty text in column "${shownValue(text.info.name)}" (${rowList(noText)}).`);
  }
  if (noLabel.length > 0) {
    rows.notes.push(`Skipped ${countOf(noLabel.length, 'row')} without a label in column "${shownValue(label.info.name)}" (${rowList(noLabel)}).`);
  }
  return rows;
}

/** The number of rows of each label, in the order of first appearance. */
function classCounts(labels: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const label of labels) counts.set(label, (counts.get(label) ?? 0) + 1);
  return counts;
}

/**
 * Refuses labels a classifier cannot learn from: one class, or a class of one row.
 * @throws DataError naming the column or the classes and saying how to fix it.
 */
function refuseClasses(column: string, classes: Map<string, number>, rows: LabelledRows): void {
  const single = [...classes].filter(([, count]) => count === 1).map(([label]) => label);
  const rowCount = formatCount(rows.labels.length);
  if (classes.size === 1) {
    const [only] = classes.keys();
    throw new DataError(
      `Column "${shownValue(column)}" has one label, "${shownValue(only)}", in all ${rowCount} rows: a classifier needs at least 2 classes. Pass another column with --label-column, or add rows of other classes.`,
    );
  }
  if (single.length > 0) {
    const named = single.slice(0, LISTED).map((label) => `"${shownValue(label)}" (line ${rows.lines[rows.labels.indexOf(label)]})`);
    const more = single.length > LISTED ? ` and ${single.length - LISTED} more` : '';
    const which = single.length === 1 ? `Class ${named[0]} has` : `${single.length} classes have`;
    const list = single.length === 1 ? '' : ` (${named.join(', ')}${more})`;
    throw new DataError(
      `${which} only 1 row${list}; a class needs at least 2, one to train on and one to test. Remove ${single.length === 1 ? 'its row' : 'their rows'}, or add rows of ${single.length === 1 ? 'that class' : 'those classes'}.`,
    );
  }
}

/** `Texts: column2 (mean 78 characters); labels: column1, 2 classes: ham 4,827, spam 747.` */
function summary(textColumn: string, texts: readonly string[], labelColumn: string, classes: Map<string, number>): string {
  const meanLength = Math.round(texts.reduce((sum, text) => sum + text.length, 0) / texts.length);
  const listed = [...classes].slice(0, LISTED).map(([label, count]) => `${shownValue(label)} ${formatCount(count)}`);
  const more = classes.size > LISTED ? `, and ${classes.size - LISTED} more` : '';
  return `Texts: ${shownValue(textColumn)} (mean ${formatCount(meanLength)} characters); labels: ${shownValue(labelColumn)}, ${classes.size} classes: ${listed.join(', ')}${more}.`;
}

/** `4,827`: a count with thousands separators. */
function formatCount(count: number): string {
  return count.toLocaleString('en-US');
}
