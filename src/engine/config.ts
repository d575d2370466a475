// The engine's tuning constants: how often it reports, evaluates and checks for divergence (the options themselves are in shared/options.ts).

/** Progress events are sent at most this often (ms), besides evaluations and the end. */
export const PROGRESS_INTERVAL_MS = 250;
/** Every epoch has at least this many batches, so that a tiny text like "hello" or a short series still gets enough updates. */
export const MIN_STEPS_PER_EPOCH = 20;
/** Stateful text training needs streams of at least this many batches; a shorter text trains on random windows. */
export const MIN_STREAM_BATCHES = 4;
/** Evaluations and checkpoints take at most about this share of a run: a due evaluation waits until training has had nine times the last one's cost. */
export const EVAL_SHARE = 0.1;
/**
 * Series: most validation time steps (windows × lookback) per evaluation during training, strided over the split (the
 * final calibration uses every window). 64k steps keep the step-0 evaluation, which a short budget also pays for, near
 * a second: 1024 windows at lookback 64, 390 at 168 (hourly energy at lookback 168: 1024 windows took 3 s of a 10 s budget).
 */
export const SERIES_VALIDATION_STEPS = 65_536;
/** Validation runs at least this often (seconds), so that slow runs still show a validation curve. */
export const EVAL_INTERVAL_SECONDS = 30;
/** A decaying learning-rate schedule ends at this fraction of `lr` (nanoGPT's min_lr = lr/10). */
export const LR_FLOOR = 0.1;
/** A training loss above this multiple of the first one (or of {@link DIVERGENCE_LOSS_FLOOR}, if larger) counts as divergence. */
export const DIVERGENCE_FACTOR = 100;
/**
 * The smallest first loss that divergence is measured against: a residual series model can start near 0 (its base
 * forecast is exact on a periodic series), and 100 times that would flag ordinary noise. 0.1 in z-units, or nats.
 */
export const DIVERGENCE_LOSS_FLOOR = 0.1;
