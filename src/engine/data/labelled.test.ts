// Unit tests for reading labelled texts: detection of the text and label columns, headers, quotes, and the refusals.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assertDataError } from './csv/assertDataError';
import { detectLabelledColumns, loadLabelledTexts } from './labelled';

/** Headerless `label<TAB>text` rows: `spam` for offers, `ham` for the rest. */
const SMS = [
  'ham\tGo until jurong point, crazy.. Available only in bugis',
  'ham\tOk lar... Joking wif u oni...',
  'spam\tFree entry in 2 a wkly comp to win FA Cup final tkts',
  'ham\tU dun say so early hor... U c already then say...',
  "ham\tNah I don't think he goes to usf, he lives around here though",
  'spam\tWINNER!! As a valued network customer you have been selected',
  "ham\tI'm gonna be home soon and i don't want to talk about this stuff",
  'spam\tHad your mobile 11 months or more? U R entitled to update',
  "ham\tI've been searching for the right words to thank you",
  'ham\tI HAVE A DATE ON SUNDAY WITH WILL!!',
].join('\n');

/** Headerless `text<TAB>label` rows with labels -1 and 1. */
const REVIEWS = [
  'So there is no way for me to plug it in here in the US.\t-1',
  'Good case, Excellent value.\t1',
  'Great for the jawbone.\t1',
  'Tied to charger for conversations lasting more than 45 minutes.\t-1',
  'The mic is great.\t1',
  'I have to jiggle the plug to get it to line up right.\t-1',
  'If you have several dozen or several hundred contacts, then imagine the fun.\t-1',
  'If you are Razr owner...you must have this!\t1',
  'Needless to say, I wasted my money.\t-1',
  'What a waste of money and time!.\t-1',
].join('\n');

describe('detecting the columns', () => {
  it('reads a headerless TSV with the labels first', () => {
    const data = loadLabelledTexts(SMS, {});
    assert.equal(data.header, false);
    assert.equal(data.textColumn, 'column2');
    assert.equal(data.labelColumn, 'column1');
    assert.deepEqual(data.classes, ['ham', 'spam']);
    assert.equal(data.texts[1], 'Ok lar... Joking wif u oni...');
    assert.deepEqual(data.lines, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.deepEqual(data.notes, ['Texts: column2 (mean 51 characters); labels: column1, 2 classes: ham 7, spam 3.']);
    assert.deepEqual(detectLabelledColumns(SMS), { textColumn: 'column2', labelColumn: 'column1', classes: 2 });
  });

  it('reads a headerless TSV with the texts first and numeric labels', () => {
    const data = loadLabelledTexts(REVIEWS, {});
    assert.equal(data.header, false);
    assert.equal(data.textColumn, 'column1');
    assert.equal(data.labelColumn, 'column2');
    assert.deepEqual(data.classes, ['-1', '1']);
    assert.deepEqual(data.labels.slice(0, 3), ['-1', '1', '1']);
    assert.match(data.notes[0], /^Texts: column1 \(mean \d+ characters\); labels: column2, 2 classes: -1 6, 1 4\.$/);
  });

  it('reads a CSV header of names over texts, with quoted texts and other columns', () => {
    const text = [
      'id,review,stars,label',
      '1,"Loved it, would buy again",5,pos',
      '2,"Broke after a day, ""great""",1,neg',
      '3,Works as described,5,pos',
      '4,Not worth the money,1,neg',
      '5,Five stars from me,5,pos',
    ].join('\n');
    const data = loadLabelledTexts(text, {});
    assert.equal(data.header, true);
    assert.equal(data.textColumn, 'review');
    assert.equal(data.labelColumn, 'label');
    assert.equal(data.texts[1], 'Broke after a day, "great"');
    assert.deepEqual(data.lines, [2, 3, 4, 5, 6]);
    assert.match(data.notes.join('\n'), /Other columns could hold the labels too: stars; pass --label-column to choose\./);
  });

  it('reads the columns given by name or index, trimming the labels', () => {
    const text = 'text\ttopic\tlang\nthe match ended 2-1\t sport \ten\nbake for an hour\tfood\ten\nextra time again\tsport\tfr\nsalt and pepper\tfood\tfr\n';
    const data = loadLabelledTexts(text, { textColumn: 0, labelColumn: 'TOPIC' });
    assert.deepEqual([data.textColumn, data.labelColumn], ['text', 'topic']);
    assert.deepEqual(data.labels, ['sport', 'food', 'sport', 'food']);
    assert.equal(loadLabelledTexts(text, { labelColumn: '2' }).labelColumn, 'lang');
  });

  it('reads a TSV whose texts hold stray quotes line by line, with notes on them and on ragged rows', () => {
    const text = 'ham\t"Wen u miss someone" gdeve..\nspam\tWIN cash now\nham\tok "see" you\nspam\tFree "prize" call\tsoon\nham\t"quoted, whole"\n';
    const data = loadLabelledTexts(text, {});
    assert.equal(data.texts.length, 5);
    assert.equal(data.texts[3], 'Free "prize" call');
    assert.deepEqual([data.texts[0], data.texts[4]], ['"Wen u miss someone" gdeve..', 'quoted, whole']);
    assert.match(data.notes.join('\n'), /Read as plain tab-separated lines, keeping as text the quotes that do not wrap a whole cell \(row 1\)\./);
    assert.match(data.notes.join('\n'), /4 rows do not have 3 fields \(rows 1, 2, 3, 5\)/);
  });

  it('detects no labelled texts in a series CSV or a file of single words', () => {
    assert.equal(detectLabelledColumns('date,temp\n2024-01-01,3.5\n2024-01-02,4.1\n2024-01-03,2.2\n'), null);
    assert.equal(detectLabelledColumns('name,origin\nGiulia,it\nHans,de\nMarco,it\nUte,de\nLuca,it\n'), null);
    assert.equal(loadLabelledTexts('name,origin\nGiulia,it\nHans,de\nMarco,it\nUte,de\nLuca,it\n', {}).textColumn, 'name');
    assert.equal(detectLabelledColumns('"unclosed,1\n'), null);
  });
});

describe('skipped rows', () => {
  it('skips rows with an empty text or label, with a note naming their lines', () => {
    const data = loadLabelledTexts(`${SMS}\nham\t\n\tsome text without label\n`, {});
    assert.equal(data.texts.length, 10);
    assert.match(data.notes.join('\n'), /Skipped 1 row with an empty text in column "column2" \(row 11\)\./);
    assert.match(data.notes.join('\n'), /Skipped 1 row without a label in column "column1" \(row 12\)\./);
  });
});

describe('refusals', () => {
  it('refuses a label column of one class', () => {
    assertDataError(
      () => loadLabelledTexts(SMS.replaceAll('spam', 'ham'), {}),
      /^Column "column1" has one label, "ham", in all 10 rows: a classifier needs at least 2 classes\. Pass another column with --label-column, or add rows of other classes\.$/,
    );
  });

  it('refuses a class of one row, naming it and its line', () => {
    assertDataError(
      () => loadLabelledTexts(`${SMS}\n${SMS}\n${SMS}\nscam\tSend your bank details`, {}),
      /^Class "scam" \(line 31\) has only 1 row; a class needs at least 2, one to train on and one to test\. Remove its row, or add rows of that class\.$/,
    );
  });

  it('refuses when every text is empty', () => {
    assertDataError(
      () => loadLabelledTexts('text,label\n"",a\n"",b\n"",a\n"",b\n', { textColumn: 'text', labelColumn: 'label' }),
      /^Every text in column "text" is empty\. Pass the column of texts with --text-column\.$/,
    );
  });

  it('refuses a label column of free text, suggesting --label-column', () => {
    const rows = Array.from({ length: 300 }, (_, i) => `a${i % 2}\ttext number ${i} about something`);
    assertDataError(
      () => loadLabelledTexts(rows.join('\n'), { labelColumn: 1 }),
      /^Column "column2" has 300 distinct values in 300 rows, most of them once: it holds free text, not labels\. Pass the column of labels with --label-column\.$/,
    );
  });

  it('refuses a file with no column of texts', () => {
    assertDataError(
      () => loadLabelledTexts('kind,value\na,1\nb,2\na,3\nb,4\na,5\nb,6\na,7\nb,8\na,9\nb,10\n', {}),
      /^No column holds texts to classify \(the labels would be kind; the other columns: value \(numbers\)\)\. Pass the column of texts with --text-column\.$/,
    );
  });

  it('refuses a file with no column of labels', () => {
    assertDataError(
      () => loadLabelledTexts('one text here\t1\nanother text\t2\na third text\t3\n', {}),
      /^No column looks like labels \(at most 50 distinct values, each repeated\): column1 \(3 distinct values\), column2 \(3 distinct values\)\. Pass the column of labels with --label-column\.$/,
    );
  });

  it('names the flag of a column that is not found, or given twice', () => {
    assertDataError(() => loadLabelledTexts(SMS, { labelColumn: 'kind' }), /^--label-column kind: Column "kind" not found\. Columns: column1, column2\.$/);
    assertDataError(() => loadLabelledTexts(SMS, { textColumn: 5 }), /^--text-column 5: Column index 5 is out of range/);
    assertDataError(() => loadLabelledTexts(SMS, { textColumn: 1, labelColumn: 'column2' }), /both name column "column2"/);
  });
});
