// The loss and learning-rate curves of one run, as column arrays that grow as metrics lines stream in.
import type { MetricsLine } from '../src/shared/runFolder';

/** One curve: x positions by step and by epoch, and the loss (or, for {@link LossHistory.lr}, the learning rate) at each. */
export interface LossCurve {
  step: number[];
  epoch: number[];
  loss: number[];
}

function emptyCurve(): LossCurve {
  return { step: [], epoch: [], loss: [] };
}

/** A run's training loss per report and validation loss per evaluation. */
export class LossHistory {
  readonly train = emptyCurve();
  readonly val = emptyCurve();
  /** The learning rate of each training report (empty for runs made before the schedule was logged). */
  readonly lr = emptyCurve();
  /** Notes from training (backend, adjustments, why it stopped), in order. */
  readonly events: { step: number; message: string }[] = [];

  /** Adds metrics lines in the order they were written; a repeated report for the same step replaces the previous one. */
  append(lines: MetricsLine[]): void {
    for (const line of lines) {
      if (line.kind === 'train') {
        push(this.train, line.step, line.epoch, line.loss);
        if (line.lr !== undefined) push(this.lr, line.step, line.epoch, line.lr);
      } else if (line.kind === 'val') push(this.val, line.step, line.epoch, line.valLoss);
      else this.events.push({ step: line.step, message: line.message });
    }
  }
}

function push(curve: LossCurve, step: number, epoch: number, loss: number): void {
  const last = curve.step.length - 1;
  if (last >= 0 && curve.step[last] === step) {
    curve.epoch[last] = epoch;
    curve.loss[last] = loss;
    return;
  }
  curve.step.push(step);
  curve.epoch.push(epoch);
  curve.loss.push(loss);
}
