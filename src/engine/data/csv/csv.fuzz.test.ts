// Fuzzing the CSV parser and the series loader: generated CSVs of every dialect (delimiters, quotes, BOMs, line ends, ragged rows, huge cells, numbers in locale formats, dates in many shapes) and raw strings.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fuzzSurface } from '../../../fuzzHelpers';
import { csvText, seriesCsv } from './csvArbitraries';
import { loadSeriesCsv } from './loadSeriesCsv';
import { parseCsvTable } from './tokenize';

/** Options a user may give: a column by name or index, inputs, the missing-value policy. */
const seriesArgs = fc.record(
  {
    column: fc.oneof(fc.constantFrom('value', 'load', 'date', 'nope', ''), fc.integer({ min: -1, max: 8 })),
    inputs: fc.array(fc.oneof(fc.constantFrom('name', 'value', 'load', 'missing'), fc.integer({ min: -1, max: 8 })), { maxLength: 3 }),
    missing: fc.constantFrom('interpolate' as const, 'drop' as const),
  },
  { requiredKeys: [] },
);

fuzzSurface('CSV parser: generated CSVs of every dialect', csvText, (text) => parseCsvTable(text));

fuzzSurface('CSV parser: any string', fc.string({ unit: 'binary', maxLength: 2000 }), (text) => parseCsvTable(text));

/** Checks a loaded series: finite, and as long as its rows. */
function checkSeries(text: string, args: Parameters<typeof loadSeriesCsv>[1]): void {
  const series = loadSeriesCsv(text, args);
  assert.ok(series.target.every(Number.isFinite), 'the target is finite');
  assert.equal(series.rowNumbers.length, series.target.length);
}

fuzzSurface(
  'series loader: generated CSVs with any options',
  fc.tuple(csvText, seriesArgs),
  ([text, args]) => loadSeriesCsv(text, args),
  ([text, args], outcome) => (outcome.ok ? checkSeries(text, args) : undefined),
);

fuzzSurface(
  'series loader: series-shaped CSVs, without options and with any',
  fc.tuple(seriesCsv, fc.oneof(fc.constant({}), seriesArgs)),
  ([text, args]) => loadSeriesCsv(text, args),
  ([text, args], outcome) => (outcome.ok ? checkSeries(text, args) : undefined),
);
