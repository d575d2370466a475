// Sin/cos calendar features of a time axis (hour of day, day of week, day of year, month of year), chosen by the time step.
import type { TimeStep } from '../../shared/runFolder';

/** Which calendar cycles a time step supports, e.g. ['hourOfDay','dayOfWeek','dayOfYear'] for hourly data. */
export type CalendarCycle = 'hourOfDay' | 'dayOfWeek' | 'dayOfYear' | 'monthOfYear';

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;

/**
 * The cycles a time step can show: a step under a day that divides a day sees the hour of day, day of week and day of
 * year (one that does not divide a day only the day of week and year); a one-day step the day of week and year; a step
 * over a day up to a week the day of year; a whole number of months that divides a year (monthly, quarterly) the month
 * of year. Other steps (over a week, yearly or longer) and a missing step have none.
 */
export function calendarCycles(step: TimeStep | null): CalendarCycle[] {
  if (!step) return [];
  if ('months' in step) return step.months > 0 && step.months < 12 && 12 % step.months === 0 ? ['monthOfYear'] : [];
  if (step.ms <= 0) return [];
  if (step.ms < DAY_MS && DAY_MS % step.ms === 0) return ['hourOfDay', 'dayOfWeek', 'dayOfYear'];
  if (step.ms <= DAY_MS) return ['dayOfWeek', 'dayOfYear'];
  return step.ms <= WEEK_MS ? ['dayOfYear'] : [];
}

/** Feature names, two per cycle: 'hourOfDay.sin', 'hourOfDay.cos', … */
export function calendarFeatureNames(cycles: CalendarCycle[]): string[] {
  return cycles.flatMap((cycle) => [`${cycle}.sin`, `${cycle}.cos`]);
}

/** Features for each time (epoch ms, UTC), row-major [times.length, 2·cycles.length], values in [-1, 1]. */
export function calendarFeatures(times: ArrayLike<number>, cycles: CalendarCycle[]): Float32Array {
  const width = 2 * cycles.length;
  const out = new Float32Array(times.length * width);
  for (let row = 0; row < times.length; row++) {
    const date = new Date(times[row]);
    cycles.forEach((cycle, c) => {
      const angle = 2 * Math.PI * cyclePhase(date, cycle);
      out[row * width + 2 * c] = Math.sin(angle);
      out[row * width + 2 * c + 1] = Math.cos(angle);
    });
  }
  return out;
}

/** Where a time falls in a cycle, as a fraction in [0, 1). */
function cyclePhase(date: Date, cycle: CalendarCycle): number {
  const time = date.getTime();
  switch (cycle) {
    case 'hourOfDay':
      return (((time % DAY_MS) + DAY_MS) % DAY_MS) / DAY_MS;
    case 'dayOfWeek':
      return date.getUTCDay() / 7;
    case 'dayOfYear': {
      const start = Date.UTC(date.getUTCFullYear(), 0, 1);
      return (time - start) / (Date.UTC(date.getUTCFullYear() + 1, 0, 1) - start);
    }
    case 'monthOfYear':
      return date.getUTCMonth() / 12;
  }
}
