// Unit tests for writing numbers and times in the format of an example cell.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatNumberLike, formatTimeLike } from './cellFormat';

describe('formatNumberLike', () => {
  it('keeps the decimals of the example, and its decimal comma', () => {
    assert.equal(formatNumberLike('13.0', 13.44), '13.4');
    assert.equal(formatNumberLike('7', 6.6), '7');
    assert.equal(formatNumberLike('1,25', 2.5), '2,50');
    assert.equal(formatNumberLike('1.50e3', 1234.5), '1234.50');
  });
});

describe('formatTimeLike', () => {
  const time = Date.UTC(2024, 2, 5, 9, 7, 3, 40);

  it('keeps the layout of year-first dates: date only, month only, T or space, seconds, milliseconds', () => {
    assert.equal(formatTimeLike('1990-12-31', Date.UTC(1991, 0, 1), 'dayFirst'), '1991-01-01');
    assert.equal(formatTimeLike('2023-12', Date.UTC(2024, 0, 1), 'dayFirst'), '2024-01');
    assert.equal(formatTimeLike('2024-01-31T13:00:00', time, 'dayFirst'), '2024-03-05T09:07:03');
    assert.equal(formatTimeLike('2024/01/31 13:00', time, 'dayFirst'), '2024/03/05 09:07');
    assert.equal(formatTimeLike('2024-01-31T13:00:00.123456Z', time, 'dayFirst'), '2024-03-05T09:07:03.040000Z');
  });

  it('writes the fields at the example offset, keeping the offset', () => {
    assert.equal(formatTimeLike('2024-01-31T13:00+02:00', time, 'dayFirst'), '2024-03-05T11:07+02:00');
  });

  it('keeps day-first or month-first order and unpadded fields', () => {
    assert.equal(formatTimeLike('31/01/2024', time, 'dayFirst'), '05/03/2024');
    assert.equal(formatTimeLike('01/31/2024', time, 'monthFirst'), '03/05/2024');
    assert.equal(formatTimeLike('2024/3/15 9:00', time, 'dayFirst'), '2024/3/5 9:07');
  });

  it('falls back to ISO 8601 for a cell that is no date', () => {
    assert.equal(formatTimeLike('soon', time, 'dayFirst'), '2024-03-05T09:07:03.040Z');
  });
});
