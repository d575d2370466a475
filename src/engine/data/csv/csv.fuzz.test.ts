// Fuzzing the CSV parser and the series loader: generated CSVs of every dialect (delimiters, quotes, BOMs, line ends, ragged rows, huge cells, numbers in locale formats, dates in many shapes) and raw strings.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fuzzSurface } from '../../../fuzzHelpers';
import { loadSeriesCsv } from './loadSeriesCsv';
import { parseCsvTable } from './tokenize';

/** Numbers as files write them: plain, signed, exponents, thousands separators, decimal commas, percents, currency. */
const number = fc.oneof(
  fc.double({ noNaN: false }).map(String),
  fc.integer({ min: -1e9, max: 1e9 }).map(String),
  fc.tuple(fc.integer({ min: 0, max: 999_999 }), fc.integer({ min: 0, max: 99 })).map(([a, b]) => `${a.toLocaleString('en-US')}.${b}`),
  fc.tuple(fc.integer({ min: 0, max: 999_999 }), fc.integer({ min: 0, max: 99 })).map(([a, b]) => `${a.toLocaleString('de-DE')},${b}`),
  fc.integer({ min: 0, max: 100 }).map((n) => `${n}%`),
  fc.integer({ min: 0, max: 1000 }).map((n) => `$${n}.00`),
  fc.constantFrom('', 'NA', 'NaN', 'null', '-', 'Infinity', '-Infinity', 'inf', '1e400', '0x1F', '1_000', ' 12 ', '١٢'),
);

/** Times in many shapes, some impossible. */
const time = fc.oneof(
  fc.date({ min: new Date('1900-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.date({ min: new Date('1900-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  fc.tuple(fc.integer({ min: 1, max: 31 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1900, max: 2100 })).map(([d, m, y]) => `${d}/${m}/${y}`),
  fc.tuple(fc.integer({ min: 1900, max: 2100 }), fc.integer({ min: 0, max: 13 })).map(([y, m]) => `${y}-${String(m).padStart(2, '0')}`),
  fc.constantFrom('2024-02-30', '2024-13-01', 'yesterday', '0000-00-00', '2024-01-01T25:00', '1700000000', ''),
);

/** Any cell: numbers, times, words, and strange text. */
const cell = fc.oneof(
  { weight: 4, arbitrary: number },
  { weight: 2, arbitrary: time },
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
  { weight: 1, arbitrary: fc.constantFrom('a"b', '"', '""', '\t', ';', ',', '\n', '\r\n', ' ') },
);

/** A cell as a file would hold it: bare, quoted (inner quotes doubled), or quoted badly. */
function written(value: string, delimiter: string): fc.Arbitrary<string> {
  return fc.constantFrom(value, `"${value.replaceAll('"', '""')}"`, `"${value}`, value.split(delimiter).join(''));
}

/** A whole CSV: a delimiter, an optional BOM and header, rows of mostly the same width, a line end, and maybe a huge cell. */
const csvText = fc
  .record({
    delimiter: fc.constantFrom(',', ';', '\t', '|'),
    bom: fc.boolean(),
    header: fc.boolean(),
    width: fc.integer({ min: 1, max: 6 }),
    rows: fc.integer({ min: 0, max: 120 }),
    lineEnd: fc.constantFrom('\n', '\r\n', '\r'),
    finalLineEnd: fc.boolean(),
    huge: fc.option(fc.integer({ min: 1000, max: 60_000 }), { freq: 10 }),
  })
  .chain(({ delimiter, bom, header, width, rows, lineEnd, finalLineEnd, huge }) =>
    fc
      .tuple(
        fc.array(fc.constantFrom('date', 'value', 'load', 'name', 'Year', 'Month', 'value', ''), { minLength: width, maxLength: width }),
        fc.array(
          fc.array(
            cell.chain((value) => written(value, delimiter)),
            { minLength: Math.max(0, width - 1), maxLength: width + 1 },
          ),
          { minLength: rows, maxLength: rows },
        ),
      )
      .map(([names, body]) => {
        const lines = [...(header ? [names.join(delimiter)] : []), ...body.map((cells) => cells.join(delimiter))];
        if (huge && lines.length > 0) lines[lines.length >> 1] += delimiter + 'x'.repeat(huge);
        return (bom ? '\ufeff' : '') + lines.join(lineEnd) + (finalLineEnd ? lineEnd : '');
      }),
  );

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

fuzzSurface(
  'series loader: generated CSVs with any options',
  fc.tuple(csvText, seriesArgs),
  ([text, args]) => loadSeriesCsv(text, args),
  ([text, args], outcome) => {
    if (!outcome.ok) return;
    // A loaded series is finite and as long as its rows.
    const series = loadSeriesCsv(text, args);
    assert.ok(series.target.every(Number.isFinite), 'the target is finite');
    assert.equal(series.rowNumbers.length, series.target.length);
  },
);
