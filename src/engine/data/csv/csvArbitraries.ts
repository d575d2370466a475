// Generated CSVs for fuzzing: every dialect (delimiters, quotes, BOMs, line ends, ragged rows, huge cells, numbers in locale formats, dates in many shapes), and series-shaped files that mostly load.
import fc from 'fast-check';

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
export const csvText = fc
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

/** A deterministic stream in [0, 1) from a seed (mulberry32), for the noise of a generated series. */
function uniforms(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** How a series file writes its times: ISO dates or date-times, day/month/year, Unix seconds, or a row number. */
const TIME_FORMATS = {
  isoDate: (d: Date) => d.toISOString().slice(0, 10),
  isoDateTime: (d: Date) => d.toISOString().slice(0, 19),
  dayMonthYear: (d: Date) => `${d.getUTCDate()}/${d.getUTCMonth() + 1}/${d.getUTCFullYear()}`,
  unixSeconds: (d: Date) => String(Math.floor(d.getTime() / 1000)),
  rowNumber: (_: Date, row: number) => String(row + 1),
} as const;

/** Cells a real series file holds in place of a number now and then. */
const DEFECTS = ['', 'NA', 'NaN', 'null', '-', 'n/a', 'Infinity', '#VALUE!', '1e400', ' '];

/**
 * A CSV shaped like a real series, so that most load and the loader's success path is fuzzed too: an optional time
 * column at a regular step (hourly, daily or monthly; sometimes rows swapped or repeated), 1 to 3 numeric columns of
 * level + trend + season + noise at any scale and precision, a per-file delimiter and decimal mark, a few defective
 * cells, and an optional BOM and header.
 */
export const seriesCsv = fc
  .record({
    rows: fc.integer({ min: 2, max: 600 }),
    columns: fc.integer({ min: 1, max: 3 }),
    time: fc.option(fc.constantFrom(...(Object.keys(TIME_FORMATS) as (keyof typeof TIME_FORMATS)[])), { freq: 5 }),
    stepHours: fc.constantFrom(1, 24, 24 * 30),
    start: fc.date({ min: new Date('1950-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }),
    disorder: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 3 }),
    scale: fc.constantFrom(1e-3, 1, 100, 1e6),
    trend: fc.double({ min: -1, max: 1, noNaN: true }),
    period: fc.integer({ min: 2, max: 60 }),
    seasonality: fc.double({ min: 0, max: 2, noNaN: true }),
    noise: fc.double({ min: 0, max: 1, noNaN: true }),
    digits: fc.integer({ min: 0, max: 6 }),
    seed: fc.integer(),
    delimiter: fc.constantFrom(',', ';', '\t'),
    decimalComma: fc.boolean(),
    defects: fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.nat({ max: 2 }), fc.constantFrom(...DEFECTS)), { maxLength: 6 }),
    header: fc.oneof({ weight: 5, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    bom: fc.boolean(),
    lineEnd: fc.constantFrom('\n', '\r\n'),
  })
  .map((file) => {
    const random = uniforms(file.seed);
    const decimalComma = file.decimalComma && file.delimiter !== ',';
    const order = Array.from({ length: file.rows }, (_, row) => row);
    for (const at of file.disorder) {
      const row = Math.min(file.rows - 2, Math.floor(at * file.rows));
      if (row >= 0) order[row + 1] = order[row];
    }
    const names = ['value', 'load', 'temp'].slice(0, file.columns);
    const lines: string[][] = order.map((t, row) => {
      const time = file.time ? [TIME_FORMATS[file.time](new Date(file.start.getTime() + t * file.stepHours * 3_600_000), row)] : [];
      const values = names.map((_, column) => {
        const level = 10 * (column + 1) + file.trend * t + file.seasonality * Math.sin((2 * Math.PI * t) / file.period) + file.noise * (random() - 0.5);
        const text = (level * file.scale).toFixed(file.digits);
        return decimalComma ? text.replace('.', ',') : text;
      });
      return [...time, ...values];
    });
    for (const [at, column, defect] of file.defects) lines[Math.floor(at * (file.rows - 1))][(file.time ? 1 : 0) + Math.min(column, file.columns - 1)] = defect;
    const header = file.header ? [[...(file.time ? ['date'] : []), ...names].join(file.delimiter)] : [];
    return (file.bom ? '\ufeff' : '') + [...header, ...lines.map((cells) => cells.join(file.delimiter))].join(file.lineEnd) + file.lineEnd;
  });
