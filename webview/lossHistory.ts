// The loss and learning-rate curves of one run, as column arrays that grow as metrics lines stream in.
import type { MetricsLine, TrainingMark } from '../src/shared/runFolder';

/** One curve: x positions by step and by epoch, and the loss (or, for {@link LossHistory.lr}, the learning rate) at each. */
export interface LossCurve {
  step: number[];
  epoch: number[];
  loss: number[];
}

function emptyCurve(): LossCurve {
  return { step: [], epoch: [], loss: [] };
}

const MARKS: readonly string[] = ['resumed', 'pytorch', 'imported'] satisfies TrainingMark[];

/** The epoch at a step, read off a curve's points (the first point at or after it; the last one past the end). */
export function epochAt(curve: LossCurve, step: number): number | null {
  if (curve.step.length === 0) return null;
  const index = curve.step.findIndex((s) => s >= step);
  return curve.epoch[index === -1 ? curve.step.length - 1 : index];
}

/** A run's training loss per report and validation loss per evaluation. */
export class LossHistory {
  readonly train = emptyCurve();
  readonly val = emptyCurve();
  /** The learning rate of each training report (empty for runs made before the schedule was logged). */
  readonly lr = emptyCurve();
  /** Where training changed hands (resumed, continued in PyTorch, imported), in order, for the chart's marker lines. */
  readonly marks: { step: number; mark: TrainingMark; message: string }[] = [];

  /** Adds metrics lines in the order they were written; a repeated report for the same step replaces the previous one. */
  append(lines: MetricsLine[]): void {
    for (const line of lines) {
      if (line.kind === 'train') {
        push(this.train, line.step, line.epoch, line.loss);
        if (line.lr !== undefined) push(this.lr, line.step, line.epoch, line.lr);
      } else if (line.kind === 'val') push(this.val, line.step, line.epoch, line.valLoss);
      else if (line.mark && MARKS.includes(line.mark)) this.marks.push({ step: line.step, mark: line.mark, message: line.message });
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
