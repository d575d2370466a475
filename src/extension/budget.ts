// The training budget of runs started from the extension: the default time budget and the "Continue training" budget.
import { DEFAULT_EPOCHS, type TrainArgs } from '../shared/options';

/** The options that bound a run's length. */
export type Budget = Pick<TrainArgs, 'epochs' | 'maxSeconds'>;

/**
 * The options of a run started from the extension: `options` (from a command or a keybinding) over the settings, with
 * `defaultMaxSeconds` as the time budget unless a budget is set: a `maxSeconds` or `epochs` in `options` (0 included,
 * which means no limit there), or a nonzero one in the settings. `defaultMaxSeconds` 0 sets none.
 */
export function withDefaultBudget(settings: Partial<TrainArgs>, defaultMaxSeconds: number, options: Partial<TrainArgs> = {}): Partial<TrainArgs> {
  const args = { ...settings, ...options };
  const budgeted = options.maxSeconds !== undefined || options.epochs !== undefined || Boolean(settings.maxSeconds) || Boolean(settings.epochs);
  return budgeted || !(defaultMaxSeconds > 0) ? args : { ...args, maxSeconds: defaultMaxSeconds };
}

/**
 * The budget of "Continue training" on a run that has trained `epochsDone` epochs: another `defaultMaxSeconds`, or
 * without a default time budget, `defaultEpochs` more epochs (0: {@link DEFAULT_EPOCHS}). A resumed run keeps its step
 * count, so its epoch limit counts the epochs already done.
 */
export function continuationBudget(epochsDone: number, defaultMaxSeconds: number, defaultEpochs = 0): Budget {
  if (defaultMaxSeconds > 0) return { epochs: 0, maxSeconds: defaultMaxSeconds };
  return { epochs: Math.ceil(epochsDone) + (defaultEpochs || DEFAULT_EPOCHS), maxSeconds: 0 };
}
