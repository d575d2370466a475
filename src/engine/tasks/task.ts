// The interface between the train loop and a kind of data (text, series or labelled texts).
import type { SequenceModel } from '../model';
import type { Rng } from '../rng';
import type { ClassifyDataInfo, ModelSpec, RunSummary, SeriesDataInfo, TextDataInfo } from '../../shared/runFolder';
import type { Task, TrainArgs } from '../../shared/options';
import type { LossSpec, TrainBatch } from '../../shared/protocol';

/** Options of {@link TrainingTask.evaluate}. */
export interface EvaluateArgs {
  /**
   * Text: score all of this text instead of the run's held-out split (the bigram still counts the training split).
   * Classify: score every row of this labelled file (the baselines are still fitted on the training split).
   */
  heldOutText?: string;
  /** Text: also score with the state handled the other way (carried across the split, or reset every seqLen tokens). */
  bothScorings?: boolean;
}

/** A prepared dataset with everything the train loop needs from it. */
export interface TrainingTask {
  readonly kind: Task;
  /** The model architecture that fits this data. */
  readonly spec: ModelSpec;
  /** What is stored in run.json to predict without the data. */
  readonly dataInfo: TextDataInfo | SeriesDataInfo | ClassifyDataInfo;
  /** Options the data decided instead of the ones given (a classifier's --init-from takes its text run's cell and sizes), recorded in run.json. */
  readonly argOverrides?: Partial<TrainArgs>;
  /** The learning rate used when `lr` is 0 (automatic), chosen for the data (config.ts' TEXT_LR and its neighbours). */
  readonly defaultLr: number;
  /** Adjustments and warnings for the user. */
  readonly notes: string[];
  /** Batches that make one epoch. */
  readonly stepsPerEpoch: number;
  /** Tokens (text, classify: the mean of the texts' tokens) or windows (series) in one training batch, for throughput. */
  readonly itemsPerStep: number;
  readonly throughputUnit: 'tokens/s' | 'windows/s';
  /** How the loss of a training batch is computed (batch.ts' batchLoss). */
  readonly lossSpec: LossSpec;
  /** The next training batch: random, or for stateful text the continuation of the streams with their state. */
  sampleBatch(rng: Rng): TrainBatch;
  /** Starts a new model from pretrained weights (a classifier's --init-from); called once, before training's first step. */
  initModel?(model: SequenceModel): void;
  /** Stateful text: the final state of the last batch from {@link sampleBatch}, which the next one starts from. */
  carryState?(final: Float32Array[]): void;
  /** The validation loss (no dropout), on a bounded number of items. */
  validationLoss(model: SequenceModel): Promise<number>;
  /** The final figures on the whole held-out data, with the baselines. */
  evaluate(model: SequenceModel, options?: EvaluateArgs): Promise<RunSummary>;
  /** Files the model predicts with beside its weights (a classifier's naive-Bayes prior), written when the run folder is created. */
  modelFiles?(): Record<string, unknown>;
  /** Artifacts written beside the model at the end (e.g. the series forecast for the dashboard). */
  artifacts?(model: SequenceModel): Promise<Record<string, unknown>>;
}
