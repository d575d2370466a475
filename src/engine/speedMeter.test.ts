// Tests of the recent-speed meter: unknown before any step, and an ETA that follows a change of speed within one window.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SPEED_WINDOW_SECONDS, SpeedMeter } from './speedMeter';

/** Feeds a meter `seconds` of training at `stepsPerSecond`, sampled every quarter second, from (step, time); returns where it ended. */
function run(meter: SpeedMeter, from: { step: number; seconds: number }, stepsPerSecond: number, seconds: number): { step: number; seconds: number } {
  let { step, seconds: time } = from;
  for (let i = 0; i < seconds * 4; i++) {
    time += 0.25;
    step += stepsPerSecond * 0.25;
    meter.add(step, time);
  }
  return { step, seconds: time };
}

describe('SpeedMeter', () => {
  it('knows no speed and no ETA before any step', () => {
    const meter = new SpeedMeter();
    assert.equal(meter.stepsPerSecond, null);
    assert.equal(meter.secondsFor(1000), null);
    meter.add(0, 1);
    assert.equal(meter.secondsFor(1000), null, 'one sample is no speed');
    meter.add(0, 2);
    assert.equal(meter.secondsFor(1000), null, 'time without steps is no speed');
  });

  it('halves the ETA within one window after the speed doubles, where the whole-run average lags', () => {
    const meter = new SpeedMeter();
    const total = 100_000;
    let at = run(meter, { step: 0, seconds: 0 }, 10, 60);
    const before = meter.secondsFor(total - at.step) as number;
    assert.ok(Math.abs(before - (total - at.step) / 10) < 1e-6, `ETA ${before} at 10 steps/s`);
    at = run(meter, at, 20, SPEED_WINDOW_SECONDS);
    const after = meter.secondsFor(total - at.step) as number;
    assert.ok(Math.abs(after - (total - at.step) / 20) < 1e-6, `ETA ${after} at 20 steps/s`);
    const wholeRun = (total - at.step) / (at.step / at.seconds);
    assert.ok(wholeRun > after * 1.5, `the whole-run ETA ${wholeRun} is still far from ${after}`);
  });

  it('follows a slowdown, and a step count that stops moving gives no ETA rather than a stale one', () => {
    const meter = new SpeedMeter(2);
    let at = run(meter, { step: 0, seconds: 0 }, 40, 5);
    at = run(meter, at, 10, 2);
    assert.ok(Math.abs((meter.stepsPerSecond as number) - 10) < 1e-9);
    run(meter, at, 0, 3);
    assert.equal(meter.secondsFor(100), null);
  });

  it('counts no steps left as no time left', () => {
    const meter = new SpeedMeter();
    run(meter, { step: 0, seconds: 0 }, 10, 1);
    assert.equal(meter.secondsFor(-5), 0);
  });
});
