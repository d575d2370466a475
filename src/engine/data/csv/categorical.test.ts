// Unit tests for one-hot encoded categorical inputs.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assertDataError } from './assertDataError';
import { loadSeriesCsv } from './loadSeriesCsv';

describe('categorical inputs', () => {
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
