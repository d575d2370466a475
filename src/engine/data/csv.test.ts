// Unit tests for CSV time-series loading: parsing dialects, header and time detection, missing values and errors.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DataError, describeCsvColumns, loadSeriesCsv } from './csv';

/** Asserts that loading throws a DataError whose message matches every pattern. */
function assertDataError(load: () => unknown, ...patterns: RegExp[]): void {
  assert.throws(load, (error: unknown) => {
    assert.ok(error instanceof DataError, `expected DataError, got ${String(error)}`);
    patterns.forEach((pattern) => assert.match(error.message, pattern));
    return true;
  });
}

describe('loadSeriesCsv dialects', () => {
  it('detects a semicolon delimiter and reads decimal commas', () => {
    const series = loadSeriesCsv('a;b\n1,5;10\n2,5;20\n3,5;30\n', { column: 'a' });
    assert.equal(series.delimiter, ';');
    assert.deepEqual([...series.target], [1.5, 2.5, 3.5]);
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

  it('selects columns by 0-based index, as a number or a digit string', () => {
    const text = 'a,b,c\n1,10,100\n2,20,200\n';
    assert.equal(loadSeriesCsv(text, { column: 0 }).targetName, 'a');
    const series = loadSeriesCsv(text, { column: '1', inputs: [2, 'a'] });
    assert.equal(series.targetName, 'b');
    assert.deepEqual(series.inputNames, ['c', 'a']);
    assert.deepEqual([...series.inputs[0]], [100, 200]);
  });
});

describe('loadSeriesCsv missing values', () => {
  const text = 'v,w\n,1\n1,2\nNA,3\nnull,4\n4,Inf\n5,6\n-,7\n';

  it('interpolates inside gaps, drops leading and trailing gaps, and reports file rows', () => {
    const series = loadSeriesCsv(text, { column: 'v', inputs: ['w'] });
    assert.deepEqual([...series.target], [1, 2, 3, 4, 5]);
    assert.deepEqual([...series.inputs[0]], [2, 3, 4, 5, 6]);
    assert.deepEqual([...series.rowNumbers], [3, 4, 5, 6, 7]);
    assert.deepEqual(series.report.interpolated, [
      { column: 'v', rows: [4, 5] },
      { column: 'w', rows: [6] },
    ]);
    assert.deepEqual(series.report.dropped, [2, 8]);
    assert.match(series.report.warnings.join('\n'), /Interpolated 2 missing, non-numeric or infinite cells in "v" \(rows 4, 5\)/);
  });

  it("drops every incomplete row with missing: 'drop'", () => {
    const series = loadSeriesCsv(text, { column: 'v', inputs: ['w'], missing: 'drop' });
    assert.deepEqual([...series.target], [1, 5]);
    assert.deepEqual(series.report.dropped, [2, 4, 5, 6, 8]);
    assert.deepEqual(series.report.interpolated, []);
  });

  it('notes a constant target (its z-score would divide by zero)', () => {
    const series = loadSeriesCsv('v\n5\n5\n5\n');
    assert.match(series.report.warnings.join('\n'), /The target "v" is constant \(every value is 5\).*MASE is undefined/);
  });

  it('caps the listed rows in messages', () => {
    const rows = Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? String(i) : 'x'));
    const series = loadSeriesCsv(['v', ...rows, '99'].join('\n'));
    assert.equal(series.report.interpolated[0].rows.length, 15);
    assert.match(series.report.warnings[0], /rows 3, 5, 7, 9, 11, 13, 15, 17, 19, 21 and 5 more/);
  });
});

describe('loadSeriesCsv errors', () => {
  it('explains a non-numeric target and lists the numeric columns', () => {
    const text = 'temp,price,load\n1,n/a,5\n2,x,6\n';
    assertDataError(
      () => loadSeriesCsv(text, { column: 'price' }),
      /Column "price" has no numeric values \(first values: "n\/a", "x"\)/,
      /Numeric columns: temp, load/,
    );
  });

  it('rejects a single data row', () => {
    assertDataError(() => loadSeriesCsv('a,b\n1,2\n'), /only 1 data row/);
  });

  it('lists the columns when a named target does not exist', () => {
    assertDataError(() => loadSeriesCsv('a,b\n1,2\n3,4\n', { column: 'c' }), /Column "c" not found\. Columns: a, b/);
  });

  it('rejects an index out of range', () => {
    assertDataError(() => loadSeriesCsv('a,b\n1,2\n3,4\n', { column: 2 }), /index 2 is out of range.*0-1/);
  });

  it('rejects an ambiguous duplicate header name', () => {
    assertDataError(() => loadSeriesCsv('v,v\n1,2\n3,4\n', { column: 'v' }), /"v" is ambiguous.*indexes 0 and 1/);
  });

  it('rejects a column with only missing values', () => {
    assertDataError(() => loadSeriesCsv('a,b\n1,NaN\n2,\n3,NA\n', { column: 'b' }), /"b" has no numeric values/);
  });

  it('rejects a file without numeric columns', () => {
    assertDataError(() => loadSeriesCsv('name,city\nann,rome\nbob,oslo\n'), /No numeric column/);
  });

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

  it('rejects a target whose header name is repeated, by default or by index', () => {
    assertDataError(() => loadSeriesCsv('t,v,v\n1,2,3\n2,3,4\n'), /The header names 2 columns "v" \(indexes 1 and 2\).*unique name/);
    assertDataError(() => loadSeriesCsv('t,v,v\n1,2,3\n2,3,4\n', { column: 1 }), /names 2 columns "v"/);
    assert.equal(loadSeriesCsv('note,note,v\na,b,1\nc,d,2\n').targetName, 'v');
  });

  it('rejects an empty last column rather than forecasting another one by default', () => {
    assertDataError(() => loadSeriesCsv('t,value\n1,NaN\n2,\n3,NA\n'), /Column "value" is empty \(every cell is blank or NaN\).*Numeric columns: t/);
    // A trailing delimiter (an unnamed empty column) is no target.
    assert.equal(loadSeriesCsv('t,v,\n1,2,\n2,3,\n').targetName, 'v');
  });

  it('rejects the target as an input', () => {
    assertDataError(() => loadSeriesCsv('a,b\n1,2\n3,4\n', { column: 'a', inputs: [0] }), /cannot also be an input/);
  });
});

describe('time axis detection', () => {
  it('detects an ISO date-time column and returns epoch ms', () => {
    const series = loadSeriesCsv('when,load\n2024-01-31 13:00,1\n2024-01-31T14:00:00Z,2\n2024-01-31 15:00,3\n');
    assert.equal(series.timeColumn, 'when');
    assert.deepEqual([...(series.time ?? [])], [Date.UTC(2024, 0, 31, 13), Date.UTC(2024, 0, 31, 14), Date.UTC(2024, 0, 31, 15)]);
  });

  it('reads dd/mm/yyyy dates and never picks the date column as target', () => {
    const columns = describeCsvColumns('day,value\n31/01/2024,5\n01/02/2024,6\n');
    assert.equal(columns[0].kind, 'date');
    assert.equal(columns[0].isTime, true);
    assert.equal(columns[1].isDefaultTarget, true);
    const series = loadSeriesCsv('day,value\n31/01/2024,5\n01/02/2024,6\n');
    assert.deepEqual([...(series.time ?? [])], [Date.UTC(2024, 0, 31), Date.UTC(2024, 1, 1)]);
  });

  it('warns about times that go backwards or repeat, keeping file order', () => {
    const series = loadSeriesCsv('date,v\n2024-01-02,1\n2024-01-01,2\n2024-01-01,3\n2024-01-03,4\n');
    assert.deepEqual([...series.target], [1, 2, 3, 4]);
    assert.match(series.report.warnings.join('\n'), /go backwards at 1 row \(row 3\)/);
    assert.match(series.report.warnings.join('\n'), /repeat the previous row at 1 row \(row 4\)/);
  });

  it('combines year, month and day columns and keeps them out of the default target', () => {
    const text = 'year,month,day,sales\n2023,12,31,7\n2024,1,1,8\n2024,1,2,9\n';
    const series = loadSeriesCsv(text);
    assert.equal(series.targetName, 'sales');
    assert.equal(series.timeColumn, 'year+month+day');
    assert.deepEqual([...(series.time ?? [])], [Date.UTC(2023, 11, 31), Date.UTC(2024, 0, 1), Date.UTC(2024, 0, 2)]);
    assert.deepEqual(
      describeCsvColumns(text).map((column) => column.isTime),
      [true, true, true, false],
    );
  });

  it('returns no time axis when there is none', () => {
    const series = loadSeriesCsv('a,b\n1,2\n3,4\n');
    assert.equal(series.time, null);
    assert.equal(series.timeColumn, null);
  });
});

describe('describeCsvColumns', () => {
  it('reports kind, numeric count and a five-value preview for every column', () => {
    const rows = Array.from({ length: 8 }, (_, i) => `2024-01-0${i + 1},${i},label${i}`);
    const columns = describeCsvColumns(['date,x,tag', ...rows].join('\n'));
    assert.deepEqual(
      columns.map(({ name, index, kind, numericCount }) => ({ name, index, kind, numericCount })),
      [
        { name: 'date', index: 0, kind: 'date', numericCount: 0 },
        { name: 'x', index: 1, kind: 'numeric', numericCount: 8 },
        { name: 'tag', index: 2, kind: 'text', numericCount: 0 },
      ],
    );
    assert.deepEqual(columns[1].preview, ['0', '1', '2', '3', '4']);
  });
});

describe('loadSeriesCsv categorical inputs', () => {
  const text = 'date,wind,pm\n2024-01-01,NW,1\n2024-01-02,cv,2\n2024-01-03,NE,3\n2024-01-04,NW,4\n';

  it('one-hot encodes a text input into sorted levels named column=level, in input order', () => {
    const series = loadSeriesCsv('t,wind,temp,pm\n1,NW,5,1\n2,cv,6,2\n3,NE,7,3\n4,NW,8,4\n', { column: 'pm', inputs: ['wind', 'temp'] });
    assert.deepEqual(series.inputNames, ['wind=NE', 'wind=NW', 'wind=cv', 'temp']);
    assert.deepEqual(series.categorical, [{ column: 'wind', levels: ['NE', 'NW', 'cv'] }]);
    assert.deepEqual(
      series.inputs.map((values) => [...values]),
      [
        [0, 0, 1, 0],
        [1, 0, 0, 1],
        [0, 1, 0, 0],
        [5, 6, 7, 8],
      ],
    );
    assert.deepEqual(series.report.warnings, []);
    assert.deepEqual(loadSeriesCsv(text).categorical, []);
  });

  it('encodes blank cells as all zeros and reports them, without dropping or interpolating', () => {
    const series = loadSeriesCsv('date,wind,pm\n2024-01-01,NW,1\n2024-01-02,,2\n2024-01-03,NA,3\n2024-01-04,SE,4\n', { inputs: ['wind'] });
    assert.deepEqual(series.inputNames, ['wind=NW', 'wind=SE']);
    assert.deepEqual([...series.inputs[0]], [1, 0, 0, 0]);
    assert.deepEqual([...series.inputs[1]], [0, 0, 0, 1]);
    assert.equal(series.target.length, 4);
    assert.deepEqual(series.report.interpolated, []);
    assert.match(series.report.warnings.join('\n'), /Encoded 2 blank cells in the categorical input "wind" as all zeros \(rows 3, 4\)/);
  });

  it('refuses more than 32 levels, saying what to do', () => {
    const rows = Array.from({ length: 33 }, (_, i) => `city${i},${i}`);
    assertDataError(
      () => loadSeriesCsv(['city,v', ...rows].join('\n'), { inputs: ['city'] }),
      /^Input column "city" has 33 distinct values; categorical inputs are one-hot encoded up to 32 levels\. Leave it out of --inputs, or group its values\.$/,
    );
    assert.equal(loadSeriesCsv(['city,v', ...rows.slice(1)].join('\n'), { inputs: ['city'] }).inputNames.length, 32);
  });

  it('encodes new data with fixed levels, an unseen value as all zeros with a warning', () => {
    const series = loadSeriesCsv(text, { inputs: ['wind'], categorical: [{ column: 'wind', levels: ['NW', 'SE', 'cv'] }] });
    assert.deepEqual(series.inputNames, ['wind=NW', 'wind=SE', 'wind=cv']);
    assert.deepEqual(series.categorical, [{ column: 'wind', levels: ['NW', 'SE', 'cv'] }]);
    assert.deepEqual(
      series.inputs.map((values) => [...values]),
      [
        [1, 0, 0, 1],
        [0, 0, 0, 0],
        [0, 1, 0, 0],
      ],
    );
    assert.match(
      series.report.warnings.join('\n'),
      /Encoded 1 cell in the categorical input "wind" as all zeros \(row 4\): values such as "NE" are not among its levels "NW", "SE", "cv"/,
    );
  });

  it('still refuses a text target', () => {
    assertDataError(() => loadSeriesCsv(text, { column: 'wind' }), /Column "wind" has no numeric values/);
  });
});
