// The learning-rate schedule: linear warmup, then constant or a cosine or linear decay that ends with the run's epochs or time budget.
import { LR_FLOOR } from './config';
import type { LrSchedule, TrainArgs } from '../shared/options';

/**
 * The learning rate for the next step. `step` counts the steps already taken (the warmup ramps over the first
 * `warmup` of them); `progress` is how far the run is through its budget, 0…1: the larger of the steps' share of all
 * epochs and the elapsed share of the time budget, so the decay ends when the budget does, whichever kind it is.
 */
export function scheduledLr(args: Pick<TrainArgs, 'lr' | 'warmup'> & { lrSchedule: Exclude<LrSchedule, 'auto'> }, step: number, progress: number): number {
  const warm = args.warmup > 0 ? Math.min(1, (step + 1) / args.warmup) : 1;
  const p = Math.min(1, Math.max(0, progress));
  const decay = args.lrSchedule === 'cosine' ? 0.5 * (1 + Math.cos(Math.PI * p)) : args.lrSchedule === 'linear' ? 1 - p : 1;
  return args.lr * warm * (LR_FLOOR + (1 - LR_FLOOR) * decay);
}

/** The schedule a run uses: the one asked for, or for `auto` the cosine decay, measured best on text and series (see config.ts). */
export function resolvedSchedule(schedule: LrSchedule): Exclude<LrSchedule, 'auto'> {
  return schedule === 'auto' ? 'cosine' : schedule;
}
