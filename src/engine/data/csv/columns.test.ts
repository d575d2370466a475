// Unit tests for column analysis and the choice of target and input columns by name or index.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assertDataError } from './assertDataError';
import { describeCsvColumns } from './columns';
import { loadSeriesCsv } from './loadSeriesCsv';

describe('column references', () => {
  it('selects columns by 0-based index, as a number or a digit string', () => {
    const text = 'a,b,c\n1,10,100\n2,20,200\n';
    assert.equal(loadSeriesCsv(text, { column: 0 }).targetName, 'a');
    const series = loadSeriesCsv(text, { column: '1', inputs: [2, 'a'] });
    assert.equal(series.targetName, 'b');
    assert.deepEqual(series.inputNames, ['c', 'a']);
    assert.deepEqual([...series.inputs[0]], [100, 200]);
  });
});

describe('column errors', () => {
  it('explains a non-numeric target and lists the numeric columns', () => {
    const text = 'temp,price,load\n1,n/a,5\n2,x,6\n';
    assertDataError(
      () => loadSeriesCsv(text, { column: 'price' }),
      /Column "price" has no numeric values \(first values: "n\/a", "x"\)/,
      /Numeric columns: temp, load/,
    );
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
