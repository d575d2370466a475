// Unit tests for reading CSV text: delimiters, quoting, line endings, headers, and the refusals of what is no CSV.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assertDataError } from './assertDataError';
import { describeCsvColumns } from './columns';
import { loadSeriesCsv } from './loadSeriesCsv';

describe('CSV dialects', () => {
  it('detects a semicolon delimiter and reads decimal commas', () => {
    const series = loadSeriesCsv('a;b\n1,5;10\n2,5;20\n3,5;30\n', { column: 'a' });
    assert.equal(series.delimiter, ';');
    assert.deepEqual([...series.target], [1.5, 2.5, 3.5]);
  });

  it('reads tab-separated values with decimal commas without a header as tabs, though commas split every row alike too', () => {
    const series = loadSeriesCsv('2024-01-01\t0,5\t1,25\n2024-01-02\t0,75\t1,5\n2024-01-03\t1,0\t2,0\n');
    assert.equal(series.delimiter, '\t');
    assert.deepEqual([...series.target], [1.25, 1.5, 2]);
  });

  it('reads a first row of infinities and missing markers as data, not as a header', () => {
    const series = loadSeriesCsv('1,Infinity,n/a\n2,1e400,5\n3,4,6\n4,5,7\n', { column: 2 });
    assert.equal(series.hasHeader, false);
    // Row 1 holds no value in the target, so it is dropped at the start (not taken as the names of the columns).
    assert.deepEqual([...series.target], [5, 6, 7]);
  });

  it('detects tabs', () => {
    const series = loadSeriesCsv('x\ty\n1\t4\n2\t5\n3\t6\n');
    assert.equal(series.delimiter, '\t');
    assert.equal(series.targetName, 'y');
    assert.deepEqual([...series.target], [4, 5, 6]);
  });

  it('handles quoted fields with embedded delimiters, quotes and line breaks', () => {
    const text = 'note,value\n"a, ""quoted"" note",1\n"two\nlines",2\nplain,3\n';
    const series = loadSeriesCsv(text);
    assert.deepEqual([...series.target], [1, 2, 3]);
    assert.deepEqual([...series.rowNumbers], [2, 3, 5]);
    assert.deepEqual(describeCsvColumns(text)[0].preview, ['a, "quoted" note', 'two\nlines', 'plain']);
  });

  it('strips a byte order mark from the first header name', () => {
    const series = loadSeriesCsv('\ufeffprice\n1\n2\n', { column: 'price' });
    assert.equal(series.targetName, 'price');
  });

  it('handles CRLF line endings', () => {
    const series = loadSeriesCsv('t,v\r\n2024-01-01,1\r\n2024-01-02,2\r\n\r\n2024-01-03,3\r\n');
    assert.deepEqual([...series.target], [1, 2, 3]);
    assert.deepEqual([...series.rowNumbers], [2, 3, 5]);
    assert.equal(series.timeColumn, 't');
  });

  it('names columns column1..N when there is no header', () => {
    const series = loadSeriesCsv('1,10\n2,20\n3,30\n');
    assert.equal(series.hasHeader, false);
    assert.equal(series.targetName, 'column2');
    assert.deepEqual([...series.rowNumbers], [1, 2, 3]);
  });

  it('reads a headerless file of 200,000 rows (its width is not found by spreading every row into Math.max)', () => {
    const text = Array.from({ length: 200_000 }, (_, row) => `${row},${row % 24}`).join('\n');
    const series = loadSeriesCsv(text);
    assert.equal(series.hasHeader, false);
    assert.equal(series.target.length, 200_000);
    assert.equal(series.target[25], 1);
  });
});

describe('CSV refusals', () => {
  it('rejects an unclosed quote, naming its line', () => {
    assertDataError(() => loadSeriesCsv('a,b\n1,2\n\n"3,4\n5,6\n'), /Line 4 of the CSV opens a quote \("\) that is never closed/);
  });

  it('rejects a line too long for a CSV row, suggesting text', () => {
    assertDataError(() => loadSeriesCsv('v\n1\n' + '9'.repeat(1_100_000)), /Line 3 of the CSV is 1\.0 M characters long.*--task text/);
  });

  it('rejects rows written with another delimiter, listing them', () => {
    const rows = Array.from({ length: 6 }, (_, i) => (i < 3 ? `2024-01-0${i + 1},${i},${i * 2}` : `2024-01-0${i + 1};${i};${i * 2}`));
    assertDataError(
      () => loadSeriesCsv(['date,x,y', ...rows].join('\n')),
      /mixes delimiters: it reads as ","-separated, but 3 rows \(rows 5, 6, 7\) hold values separated by ";", e\.g\. "2024-01-04;3;6"/,
    );
    // A decimal comma in a semicolon file is a number, not a second delimiter.
    assert.deepEqual([...loadSeriesCsv('a;b\n1,5;2\n2,5;3\n').target], [2, 3]);
  });
});
