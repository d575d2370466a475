// Tests of the extension's CSV/TSV reader: quoted cells, records over several lines, the delimiter, plain TSV lines, and column names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { columnIndex, csvLayout, firstRecord, guessDelimiter, recordAt, recordCells, recordStartLines, splitRecord } from './csvCells';

/** The cells of the record on a 0-based line. */
function cellsAt(text: string, line: number, fileName = 'data.csv'): string[] | undefined {
  const layout = csvLayout(text, fileName);
  const span = recordAt(layout, line);
  return span && recordCells(layout, span);
}

test('quoted cells keep their delimiters, doubled quotes become one, and cells are trimmed', () => {
  assert.deepEqual(splitRecord('"Hello, world", ham ,"say ""hi"""', ','), ['Hello, world', 'ham', 'say "hi"']);
  assert.deepEqual(splitRecord('a;"b;c";', ';'), ['a', 'b;c', '']);
  assert.deepEqual(splitRecord('', ','), ['']);
});

test('a quote inside an unquoted cell is literal, and text after a closing quote is kept', () => {
  assert.deepEqual(splitRecord('a 5" screen,spam', ','), ['a 5" screen', 'spam']);
  assert.deepEqual(splitRecord('"quoted" tail,x', ','), ['quoted tail', 'x']);
});

test('a quoted cell with line breaks makes one record over several lines, whichever line is asked', () => {
  const text = 'text,label\n"first line\nsecond, line\n""third""",ham\nplain,spam\r\nlast,ham\n';
  assert.deepEqual(recordStartLines(text, ','), [0, 1, 4, 5, 6]);
  for (const line of [1, 2, 3]) assert.deepEqual(cellsAt(text, line), ['first line\nsecond, line\n"third"', 'ham'], `line ${line}`);
  assert.deepEqual(cellsAt(text, 4), ['plain', 'spam']);
  assert.deepEqual(cellsAt(text, 5), ['last', 'ham']);
  assert.deepEqual(cellsAt(text, 6), [], 'the empty line after the last row');
  assert.equal(cellsAt(text, 7), undefined, 'past the end');
  assert.deepEqual(recordAt(csvLayout(text, 'a.csv'), 2), { first: 1, last: 3 });
});

test('the delimiter is the one most often outside quotes, comma on a tie; a .tsv is tab-separated', () => {
  assert.equal(guessDelimiter('text;label'), ';');
  assert.equal(guessDelimiter('"a;b;c",label'), ',');
  assert.equal(guessDelimiter('text\tlabel\tid'), '\t');
  assert.equal(guessDelimiter('just one column'), ',');
  assert.equal(csvLayout('a,b\tc\n', 'x.TSV').delimiter, '\t');
});

test('a TSV whose lines all hold the same number of tabs is read line by line, quotes unwrapping only whole cells', () => {
  const text = 'label\ttext\nham\t"Hi" he said, "come over\nspam\t"Win ""now"""\n';
  const layout = csvLayout(text, 'sms.tsv');
  assert.equal(layout.plainTabs, true);
  assert.deepEqual(cellsAt(text, 1, 'sms.tsv'), ['ham', '"Hi" he said, "come over']);
  assert.deepEqual(cellsAt(text, 2, 'sms.tsv'), ['spam', 'Win "now"']);
  // Uneven tabs: read as CSV with quotes, so the quoted line break joins two lines.
  const uneven = csvLayout('a\tb\tc\n"x\ny"\tz\n', 'f.tsv');
  assert.equal(uneven.plainTabs, false);
  assert.deepEqual(recordCells(uneven, recordAt(uneven, 2) as { first: number; last: number }), ['x\ny', 'z']);
});

test('the header is the first non-blank record, without a byte-order mark; columns are found by name or as columnN', () => {
  const layout = csvLayout('\uFEFF\n\nreview , stars\n"good",5\n', 'r.csv');
  const header = firstRecord(layout);
  assert.deepEqual(header, { first: 2, last: 2 });
  const names = recordCells(layout, header as { first: number; last: number });
  assert.deepEqual(names, ['review', 'stars']);
  assert.equal(columnIndex('stars', names), 1);
  assert.equal(columnIndex('column1', names), 0, 'columnN also finds column N');
  assert.equal(columnIndex('column3', null), 2);
  assert.equal(columnIndex('missing', names), undefined);
  assert.equal(columnIndex('column0', null), undefined);
  assert.equal(firstRecord(csvLayout('\n \n', 'e.csv')), undefined);
});
