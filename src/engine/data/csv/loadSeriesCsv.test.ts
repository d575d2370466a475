// Unit tests for loading a whole series: too few rows and a constant target.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assertDataError } from './assertDataError';
import { loadSeriesCsv } from './loadSeriesCsv';

describe('loadSeriesCsv', () => {
  it('rejects a single data row', () => {
    assertDataError(() => loadSeriesCsv('a,b\n1,2\n'), /only 1 data row/);
  });

  it('notes a constant target (its z-score would divide by zero)', () => {
    const series = loadSeriesCsv('v\n5\n5\n5\n');
    assert.match(series.report.warnings.join('\n'), /The target "v" is constant \(every value is 5\).*MASE is undefined/);
  });
});
