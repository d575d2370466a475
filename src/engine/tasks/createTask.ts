// Picks the task for the data (text, series or labelled texts) and reloads a run's own data for resuming and evaluation.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodeText, sha256, type LoadedSource } from '../source';
import type { TrainingTask } from './task';
import { TextTask } from './textTask';
import { SeriesTask } from './seriesTask';
import { ClassifyTask } from './classifyTask';
import { detectLabelledColumns } from '../data/labelled';
import { isSeriesFile, UsageError, type Task, type TrainArgs } from '../../shared/options';
import type { RunRecord } from '../../shared/runFolder';

/**
 * The task kind for some data: the one asked for; for a .csv/.tsv file, classify when it reads as texts with labels
 * (detected, or columns named with --text-column/--label-column) and neither --column nor --inputs is given, else series; text otherwise.
 */
export function taskKind(args: TrainArgs, source: LoadedSource): Task {
  if (args.task !== 'auto') return args.task;
  if (!source.source.path || !isSeriesFile(source.source.path)) return 'text';
  if (args.column !== undefined || args.inputs.length > 0) return 'series';
  const named = args.textColumn !== undefined || args.labelColumn !== undefined;
  return named || detectLabelledColumns(source.text) !== null ? 'classify' : 'series';
}

/** Prepares the data for training, or, given a trained run, with that run's vocabulary, labels or normalisation. */
export function createTask(source: LoadedSource, args: TrainArgs, trained?: RunRecord): TrainingTask {
  const data = trained?.data;
  if (data?.kind === 'text' || data?.kind === 'classify') checkVocabularySize(data.vocab.length, trained?.model.vocabSize, 'run.json');
  const kind = data ? data.kind : taskKind(args, source);
  if (kind === 'series') return new SeriesTask(source.text, args, data?.kind === 'series' ? data : undefined);
  if (kind === 'classify') return new ClassifyTask(source.text, args, data?.kind === 'classify' ? data : undefined);
  return new TextTask(source.text, args, data?.kind === 'text' ? data : undefined);
}

/** Reads a run's data again: its file (which must be unchanged) or the copy saved in the run folder. */
export function loadRunSource(runDir: string, record: RunRecord): LoadedSource {
  const { source } = record;
  const file = source.kind === 'file' && source.path ? source.path : path.join(runDir, 'source.txt');
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    throw new UsageError(`The run's data ${file} is missing. Pass the data again with --file.`);
  }
  if (sha256(bytes) !== source.sha256) {
    throw new UsageError(`The run's data ${file} has changed since the run was trained (its SHA-256 differs). Pass the data to use with --file.`);
  }
  return { text: decodeText(bytes, file), source, label: path.parse(file).name };
}

/** Refuses a text run whose stored vocabulary no longer has the size its model was built for (`where` names run.json). */
export function checkVocabularySize(vocabSize: number, modelVocabSize: number | undefined, where: string): void {
  if (vocabSize !== modelVocabSize) {
    throw new UsageError(
      `The vocabulary in ${where} has ${vocabSize} tokens but the model expects ${modelVocabSize}: run.json was edited or damaged. Restore it, or train a new run.`,
    );
  }
}
