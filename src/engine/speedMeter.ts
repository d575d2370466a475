// The recent training speed: steps per second over a sliding time window, so that an ETA follows the speed as it changes.

/** Seconds of training the recent speed is measured over. */
export const SPEED_WINDOW_SECONDS = 10;

/** A (step count, time) sample. */
interface SpeedSample {
  step: number;
  seconds: number;
}

/**
 * Steps per second over the last {@link SPEED_WINDOW_SECONDS} or so, from samples of the step count: unlike the
 * average over a whole run, it forgets a slow start (compilation, warm caches) within one window.
 */
export class SpeedMeter {
  /** Samples in time order; the first is the latest one at or before the window's start. */
  private readonly samples: SpeedSample[] = [];

  /** Measures over `windowSeconds` of the most recent samples. */
  constructor(private readonly windowSeconds = SPEED_WINDOW_SECONDS) {}

  /** Records that `step` steps were done at `seconds` (a clock that only goes forward). */
  add(step: number, seconds: number): void {
    this.samples.push({ step, seconds });
    while (this.samples.length > 1 && this.samples[1].seconds <= seconds - this.windowSeconds) this.samples.shift();
  }

  /** Steps per second over the window, or null before two samples with steps and time between them. */
  get stepsPerSecond(): number | null {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (!first || last.seconds <= first.seconds || last.step <= first.step) return null;
    return (last.step - first.step) / (last.seconds - first.seconds);
  }

  /** Seconds that `steps` more steps take at the recent speed, or null while it is unknown. */
  secondsFor(steps: number): number | null {
    const speed = this.stepsPerSecond;
    return speed === null ? null : Math.max(0, steps) / speed;
  }
}
