// Fuzzing the labelled-text reader: generated CSVs and TSVs of texts and labels (headers, column orders, quotes, classes of every size, BOMs, line ends) with any column options, and raw strings.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fuzzSurface } from '../../fuzzHelpers';
import { detectLabelledColumns, loadLabelledTexts, type LabelledColumnArgs } from './labelled';

/** The longest part of a message or note between commas: a value quoted from the file is cut (shownValue), though a list of columns may be long. */
const MAX_PART_CHARS = 300;

/** Words for texts, with the punctuation, quotes and separators real texts hold. */
const word = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('the', 'film', 'was', 'great', 'awful', 'I', "don't", 'free', 'WINNER!!', 'call', 'now', '5', '3.5', 'é', '👍') },
  { weight: 1, arbitrary: fc.constantFrom('"Hi"', 'a"b', '"', '""', ',', ';', '\t', '...', "'", '\u00a0') },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }) },
);

/** A text: some words, an empty cell, white space, one that spans lines, or a long one. */
const text = fc.oneof(
  { weight: 8, arbitrary: fc.array(word, { minLength: 1, maxLength: 12 }).map((words) => words.join(' ')) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', 'x', 'one\ntwo lines', 'tab\tinside', 'a, b, c', '42', '2024-01-01') },
  { weight: 1, arbitrary: fc.integer({ min: 200, max: 2000 }).map((length) => 'long text '.repeat(length / 10)) },
);

/** Label names of a file: short words (style 0), numbers (1), or strange ones (2: quotes, separators, line breaks, very long). */
function labelName(index: number, style: number): string {
  const strange = ['"quoted"', 'a,b', 'tab\there', 'two\nlines', ' padded ', 'x'.repeat(300), '', '<unk>', 'ham"'];
  if (style === 0) return ['ham', 'spam', 'pos', 'neg', 'neutral'][index] ?? `class${index}`;
  if (style === 1) return String(index - 1);
  return strange[index % strange.length] + (index >= strange.length ? index : '');
}

/** A labelled file's layout: classes from 1 to hundreds, rows, header, column order, delimiter, BOM and line ends. */
const layout = fc.record({
  classes: fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 5 }) }, { weight: 1, arbitrary: fc.constantFrom(60, 300) }),
  labelStyle: fc.constantFrom(0, 0, 0, 1, 1, 2),
  rows: fc.oneof({ weight: 1, arbitrary: fc.integer({ min: 0, max: 40 }) }, { weight: 2, arbitrary: fc.integer({ min: 40, max: 400 }) }),
  header: fc.option(
    fc.tuple(fc.constantFrom('text', 'review', 'message', '', 'label', 'x"y'), fc.constantFrom('label', 'sentiment', 'class', '', 'text', 'y')),
    { freq: 2 },
  ),
  labelsFirst: fc.boolean(),
  idColumn: fc.boolean(),
  delimiter: fc.constantFrom(',', '\t'),
  sloppy: fc.boolean(),
  bom: fc.boolean(),
  lineEnd: fc.constantFrom('\n', '\r\n', '\r'),
  finalLineEnd: fc.boolean(),
});

/**
 * A cell as a file would hold it: quoted (inner quotes doubled) when it must be, else bare or quoted; in a sloppy file
 * also bare when it must not be, quoted badly, or with its delimiters removed.
 */
function written(value: string, delimiter: string, sloppy: boolean): fc.Arbitrary<string> {
  const quoted = `"${value.replaceAll('"', '""')}"`;
  const mustQuote = value.includes(delimiter) || /["\r\n]/.test(value);
  return fc.oneof(
    { weight: 6, arbitrary: fc.constant(mustQuote ? quoted : value) },
    { weight: 2, arbitrary: fc.constant(quoted) },
    { weight: sloppy ? 2 : 0, arbitrary: fc.constantFrom(value, `"${value}`, `${value}"`, value.split(delimiter).join(' ')) },
  );
}

/** A whole labelled CSV or TSV, made from a {@link layout}: each row a text and a label (a skewed choice, so some classes have one row). */
const labelledFile = layout.chain(({ classes, labelStyle, rows, header, labelsFirst, idColumn, delimiter, sloppy, bom, lineEnd, finalLineEnd }) =>
  fc
    .array(
      fc
        .tuple(text, fc.oneof(fc.integer({ min: 0, max: classes - 1 }), fc.integer({ min: 0, max: Math.min(classes - 1, 1) })))
        .chain(([value, label]) => fc.tuple(written(value, delimiter, sloppy), written(labelName(label, labelStyle), delimiter, sloppy))),
      { minLength: rows, maxLength: rows },
    )
    .map((body) => {
      const row = (textCell: string, labelCell: string, id: string) =>
        [...(idColumn ? [id] : []), ...(labelsFirst ? [labelCell, textCell] : [textCell, labelCell])].join(delimiter);
      const lines = [
        ...(header ? [row(header[0], header[1], 'id')] : []),
        ...body.map(([textCell, labelCell], index) => row(textCell, labelCell, String(index + 1))),
      ];
      return (bom ? '\ufeff' : '') + lines.join(lineEnd) + (finalLineEnd ? lineEnd : '');
    }),
);

/** A column option: a header name (present or not), an index (in range or not), or a number written as a name. */
const columnRef = fc.oneof(
  fc.constantFrom('text', 'label', 'review', 'sentiment', 'column1', 'column2', 'id', 'nope', '', 'x"y', 'two\nlines'),
  fc.integer({ min: -1, max: 4 }),
  fc.constantFrom('0', '1', '1.5'),
);

/** The column options a user may give: none (often, so that detection is fuzzed too), either or both. */
const columnArgs: fc.Arbitrary<LabelledColumnArgs> = fc.oneof(
  { weight: 1, arbitrary: fc.constant({}) },
  { weight: 1, arbitrary: fc.record({ textColumn: columnRef, labelColumn: columnRef }, { requiredKeys: [] }) },
);

/** Checks a message or note shows no long value whole: each part between commas is short. */
function checkMessage(message: string): void {
  const longest = message.split(', ').reduce((a, b) => (b.length > a.length ? b : a), '');
  assert.ok(longest.length <= MAX_PART_CHARS, `the message holds a part of ${longest.length} characters: ${message.slice(0, 300)}…`);
}

/** Checks what a file read as labelled texts: aligned rows of non-blank texts and labels, at least 2 classes of at least 2 rows, one-line notes. */
function checkLabelled(fileText: string, args: LabelledColumnArgs): void {
  const data = loadLabelledTexts(fileText, args);
  assert.ok(data.texts.length === data.labels.length && data.labels.length === data.lines.length, 'texts, labels and lines align');
  assert.ok(
    data.texts.every((value) => value.trim() !== ''),
    'no text is blank',
  );
  assert.ok(
    data.labels.every((label) => label !== '' && label === label.trim()),
    'labels are trimmed and not empty',
  );
  assert.ok(
    data.lines.every((line, index) => Number.isInteger(line) && line >= 1 && (index === 0 || line > data.lines[index - 1])),
    'lines are file lines, in order',
  );
  const counts = new Map<string, number>();
  for (const label of data.labels) counts.set(label, (counts.get(label) ?? 0) + 1);
  assert.deepEqual(data.classes, [...counts.keys()], 'the classes are the distinct labels in order');
  assert.ok(data.classes.length >= 2 && [...counts.values()].every((count) => count >= 2), 'at least 2 classes, each of at least 2 rows');
  for (const note of data.notes) {
    assert.ok(!/[\r\n\u2028\u2029]/.test(note), `a note is one line: ${JSON.stringify(note.slice(0, 300))}`);
    checkMessage(note);
  }
}

fuzzSurface(
  'labelled texts: generated CSVs and TSVs with any column options',
  fc.tuple(labelledFile, columnArgs),
  ([fileText, args]) => loadLabelledTexts(fileText, args),
  ([fileText, args], outcome) => (outcome.ok ? checkLabelled(fileText, args) : checkMessage(outcome.message)),
);

fuzzSurface(
  'labelled columns detection: generated CSVs and TSVs',
  labelledFile,
  (fileText) => detectLabelledColumns(fileText),
  (fileText, outcome) => {
    assert.ok(outcome.ok, 'detection never refuses: it returns null');
    const detected = detectLabelledColumns(fileText);
    if (detected === null) return;
    assert.ok(detected.classes >= 2 && detected.textColumn !== '' && detected.labelColumn !== '', 'detected columns have names and 2 classes');
    // Reading without options picks the columns detection reports.
    try {
      const data = loadLabelledTexts(fileText, {});
      assert.deepEqual([data.textColumn, data.labelColumn], [detected.textColumn, detected.labelColumn], 'reading picks the detected columns');
    } catch (error) {
      if (!(error instanceof Error && error.name === 'DataError')) throw error;
    }
  },
);

fuzzSurface('labelled texts: any string', fc.tuple(fc.string({ unit: 'binary', maxLength: 2000 }), columnArgs), ([fileText, args]) =>
  loadLabelledTexts(fileText, args),
);

fuzzSurface(
  'labelled columns detection: any string',
  fc.string({ unit: 'binary', maxLength: 2000 }),
  (fileText) => detectLabelledColumns(fileText),
  (_, outcome) => {
    assert.ok(outcome.ok, 'detection never refuses: it returns null');
  },
);
