// Fuzzing the labelled-text reader: generated CSVs and TSVs of texts and labels (headers, column orders, quotes, classes of every size, BOMs, line ends) with any column options, and raw strings.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fuzzSurface } from '../../fuzzHelpers';
import { detectLabelledColumns, loadLabelledTexts, type LabelledColumnArgs } from './labelled';
import { labelledFile } from './labelledArbitraries';

/** The longest part of a message or note between commas: a value quoted from the file is cut (shownValue), though a list of columns may be long. */
const MAX_PART_CHARS = 300;

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
