// Unit tests for time axis detection: date columns, date-part columns and times out of order.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeCsvColumns } from './columns';
import { loadSeriesCsv } from './loadSeriesCsv';

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
