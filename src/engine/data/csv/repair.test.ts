// Unit tests for missing-value repair: interpolation, dropped rows and the rows listed in its warnings.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadSeriesCsv } from './loadSeriesCsv';

describe('missing values', () => {
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

  it('fills a gap at the start of the kept rows from the values before it (found by fuzzing), without overflowing', () => {
    // Row 2 starts the rows where both columns have had a value; v's gap there runs back to row 1's value.
    const series = loadSeriesCsv('v,w\n1,\nNA,\nNA,5\n4,6\n', { column: 'v', inputs: ['w'] });
    assert.deepEqual([...series.target], [3, 4]);
    assert.deepEqual(series.report.interpolated, [{ column: 'v', rows: [4] }]);
    const huge = loadSeriesCsv('v\n-1.7e308\nNA\n1.7e308\n', { column: 'v' });
    assert.deepEqual([...huge.target], [-1.7e308, 0, 1.7e308]);
  });

  it("drops every incomplete row with missing: 'drop'", () => {
    const series = loadSeriesCsv(text, { column: 'v', inputs: ['w'], missing: 'drop' });
    assert.deepEqual([...series.target], [1, 5]);
    assert.deepEqual(series.report.dropped, [2, 4, 5, 6, 8]);
    assert.deepEqual(series.report.interpolated, []);
  });

  it('caps the listed rows in messages', () => {
    const rows = Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? String(i) : 'x'));
    const series = loadSeriesCsv(['v', ...rows, '99'].join('\n'));
    assert.equal(series.report.interpolated[0].rows.length, 15);
    assert.match(series.report.warnings[0], /rows 3, 5, 7, 9, 11, 13, 15, 17, 19, 21 and 5 more/);
  });
});
