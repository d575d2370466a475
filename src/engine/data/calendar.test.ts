// Unit tests for calendar features: cycles per time step, feature names and shapes, and the sin/cos values.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { calendarCycles, calendarFeatureNames, calendarFeatures } from './calendar';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Asserts two numbers agree to float32 precision. */
function assertClose(actual: number, expected: number, message?: string): void {
  assert.ok(Math.abs(actual - expected) < 1e-6, `${message ?? ''} expected ${expected}, got ${actual}`);
}

describe('calendarCycles', () => {
  it('chooses the cycles by the time step', () => {
    assert.deepEqual(calendarCycles({ ms: HOUR }), ['hourOfDay', 'dayOfWeek', 'dayOfYear']);
    assert.deepEqual(calendarCycles({ ms: 15 * 60_000 }), ['hourOfDay', 'dayOfWeek', 'dayOfYear']);
    assert.deepEqual(calendarCycles({ ms: 7 * HOUR }), ['dayOfWeek', 'dayOfYear']);
    assert.deepEqual(calendarCycles({ ms: DAY }), ['dayOfWeek', 'dayOfYear']);
    assert.deepEqual(calendarCycles({ ms: 3 * DAY }), ['dayOfYear']);
    assert.deepEqual(calendarCycles({ ms: 7 * DAY }), ['dayOfYear']);
    assert.deepEqual(calendarCycles({ months: 1 }), ['monthOfYear']);
    assert.deepEqual(calendarCycles({ months: 3 }), ['monthOfYear']);
    assert.deepEqual(calendarCycles({ months: 12 }), []);
    assert.deepEqual(calendarCycles({ months: 24 }), []);
    assert.deepEqual(calendarCycles({ ms: 365 * DAY }), []);
    assert.deepEqual(calendarCycles(null), []);
  });
});

describe('calendarFeatures', () => {
  it('has two named features per cycle, row-major', () => {
    const cycles = calendarCycles({ ms: HOUR });
    assert.deepEqual(calendarFeatureNames(cycles), ['hourOfDay.sin', 'hourOfDay.cos', 'dayOfWeek.sin', 'dayOfWeek.cos', 'dayOfYear.sin', 'dayOfYear.cos']);
    const times = Array.from({ length: 5 }, (_, i) => Date.UTC(2024, 0, 1) + i * HOUR);
    const features = calendarFeatures(times, cycles);
    assert.ok(features instanceof Float32Array);
    assert.equal(features.length, 5 * 6);
    assert.equal(calendarFeatures(Float64Array.of(Date.UTC(2024, 0, 1)), calendarCycles({ months: 1 })).length, 2);
  });

  it('gives no features without a time step', () => {
    const cycles = calendarCycles(null);
    assert.deepEqual(calendarFeatureNames(cycles), []);
    assert.equal(calendarFeatures([Date.UTC(2024, 0, 1), Date.UTC(2024, 0, 2)], cycles).length, 0);
  });

  it('gives a Monday and the next Monday equal day-of-week features', () => {
    const monday = Date.UTC(2024, 0, 1, 9);
    const [sin, cos, nextSin, nextCos, tuesdaySin] = [
      ...calendarFeatures([monday, monday + 7 * DAY], ['dayOfWeek']),
      calendarFeatures([monday + DAY], ['dayOfWeek'])[0],
    ];
    assert.equal(nextSin, sin);
    assert.equal(nextCos, cos);
    assert.notEqual(tuesdaySin, sin);
  });

  it('puts every sin/cos pair on the unit circle', () => {
    const cycles = ['hourOfDay', 'dayOfWeek', 'dayOfYear', 'monthOfYear'] as const;
    const times = Array.from({ length: 400 }, (_, i) => Date.UTC(2023, 5, 1) + i * 37 * HOUR + i * 61_000);
    const features = calendarFeatures(times, [...cycles]);
    for (let k = 0; k < features.length; k += 2) {
      assertClose(features[k] ** 2 + features[k + 1] ** 2, 1, `pair ${k / 2}:`);
    }
  });

  it('puts hour 0 and hour 12 opposite, and counts minutes as a fraction of the hour', () => {
    const [sin0, cos0, sin12, cos12, sin6, cos6] = calendarFeatures(
      [Date.UTC(2024, 2, 5, 0), Date.UTC(2024, 2, 5, 12), Date.UTC(2024, 2, 5, 5, 60)],
      ['hourOfDay'],
    );
    assertClose(sin12, -sin0);
    assertClose(cos12, -cos0);
    assertClose(cos0, 1);
    assertClose(sin6, 1);
    assertClose(cos6, 0);
    const [halfPastSin] = calendarFeatures([Date.UTC(2024, 2, 5, 0, 30)], ['hourOfDay']);
    assertClose(halfPastSin, Math.sin((2 * Math.PI * 0.5) / 24));
  });

  it('measures the day of year as a fraction of a leap-aware year', () => {
    // 1 July is day 182 of 366 in 2024 and day 181 of 365 in 2023.
    const [leapSin, leapCos, sin, cos] = calendarFeatures([Date.UTC(2024, 6, 1), Date.UTC(2023, 6, 1)], ['dayOfYear']);
    assertClose(leapSin, Math.sin((2 * Math.PI * 182) / 366));
    assertClose(leapCos, Math.cos((2 * Math.PI * 182) / 366));
    assertClose(sin, Math.sin((2 * Math.PI * 181) / 365));
    assertClose(cos, Math.cos((2 * Math.PI * 181) / 365));
    const [newYearSin, newYearCos] = calendarFeatures([Date.UTC(2025, 0, 1)], ['dayOfYear']);
    assertClose(newYearSin, 0);
    assertClose(newYearCos, 1);
  });

  it('reads the month of year in UTC', () => {
    const [janSin, janCos, julSin, julCos] = calendarFeatures([Date.UTC(2024, 0, 1), Date.UTC(2024, 6, 1)], ['monthOfYear']);
    assertClose(janSin, 0);
    assertClose(janCos, 1);
    assertClose(julSin, 0);
    assertClose(julCos, -1);
  });
});
