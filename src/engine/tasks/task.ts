// The interface between the train loop and a kind of data (text or series).
import type { ModelSpec, SequenceModel } from '../model';
import type { RunSummary, SeriesDataInfo, TextDataInfo } from '../../shared/protocol';
import type { Rng } from '../rng';
import type { LossSpec, TrainBatch } from './batch';

/** A prepared dataset with everything the train loop needs from it. */
export interface TrainingTask {
  readonly kind: 'text' | 'series';
  /** The model architecture that fits this data. */
  readonly spec: ModelSpec;
  /** What is stored in run.json to predict without the data. */
  readonly dataInfo: TextDataInfo | SeriesDataInfo;
  /** Adjustments and warnings for the user. */
  readonly notes: string[];
  /** Batches that make one epoch. */
  readonly stepsPerEpoch: number;
  /** Tokens (text) or windows (series) in one training batch, for throughput. */
  readonly itemsPerStep: number;
  readonly throughputUnit: 'tokens/s' | 'windows/s';
  /** How the loss of a training batch is computed (batch.ts' batchLoss). */
  readonly lossSpec: LossSpec;
  /** A random training batch. */
  sampleBatch(rng: Rng): TrainBatch;
  /** The validation loss (no dropout), on a bounded number of items. */
  validationLoss(model: SequenceModel): Promise<number>;
  /** The final figures on the held-out data, with the baselines. */
  evaluate(model: SequenceModel): Promise<RunSummary>;
  /** Artifacts written beside the model at the end (e.g. the series forecast for the dashboard). */
  artifacts?(model: SequenceModel): Promise<Record<string, unknown>>;
}
