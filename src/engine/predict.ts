// Prediction from a saved run: next-token probabilities, text generation, forecasts, class probabilities, and evaluation on held-out data.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from './backend';
import { forecastRows } from './data/csv/forecastRows';
import { loadSeriesCsv } from './data/csv/loadSeriesCsv';
import { continueTime } from './data/series';
import { forecastOrigins, seriesWindowsFor } from './data/seriesInputs';
import { Vocabulary, type EncodedPrompt } from './data/text';
import { disposeState, flattenState, regroupState, type SequenceModel, type ModelState } from './model';
import { loadRunRecord } from './runStore';
import { sampleTokens } from './sampling';
import { readSource, type LoadedSource } from './source';
import { checkVocabularySize, createTask, loadRunSource } from './tasks/createTask';
import { futureBands, usesSeasonal } from './tasks/seriesTask';
import { classLogProbs, readable } from './tasks/classifyTask';
import { priorLogProbs, type NaiveBayesPrior } from './tasks/classifyPrior';
import { NaiveBayes, type NaiveBayesFile } from './eval/naiveBayes';
import { loadModel } from './modelCheckpoint';
import { UsageError, type GenerateArgs } from '../shared/options';
import {
  errorLine,
  MODEL_FILE,
  NAIVE_BAYES_FILE,
  RUN_FILE,
  type ClassifyDataInfo,
  type RunRecord,
  type RunSummary,
  type SeriesDataInfo,
  type TextDataInfo,
} from '../shared/runFolder';
import type { ClassifyResult, NextTokenPrediction } from '../shared/protocol';

/** A run loaded for prediction: its record, its best model and, for text and classify, its vocabulary. */
export interface LoadedRun {
  dir: string;
  record: RunRecord;
  model: SequenceModel;
  vocab?: Vocabulary;
  /** A classifier with `--prior naive-bayes`: the prior its outputs are added to. */
  prior?: NaiveBayesPrior;
}

/** Loads a run folder's record and best model on the run's backend (or the one asked for), checking that they agree. */
export async function loadRun(runDir: string, backend = 'auto'): Promise<LoadedRun> {
  let record: RunRecord;
  try {
    record = loadRunRecord(runDir);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`${runDir} cannot be opened: ${errorLine(error)}. Restore its ${RUN_FILE}, or train a new run.`);
  }
  await initBackend(backend === 'auto' ? record.config.backend : (backend as 'wasm'));
  let model: SequenceModel;
  try {
    model = loadModel(runDir);
  } catch (error) {
    const advice = fs.existsSync(path.join(runDir, MODEL_FILE))
      ? `The run folder is damaged: restore its files, or train a new run.`
      : `The run stopped before its first checkpoint, so it has no model: train again.`;
    throw new UsageError(`The model in ${runDir} cannot be loaded: ${errorLine(error)}. ${advice}`);
  }
  if (record.data.kind === 'text' || record.data.kind === 'classify') {
    let vocab: Vocabulary;
    try {
      vocab = new Vocabulary(record.data.vocab, record.data.tokens, record.data.wordTokenizer ?? 1);
      checkVocabularySize(vocab.size, model.spec.vocabSize, path.join(runDir, RUN_FILE));
    } catch (error) {
      model.dispose();
      if (error instanceof UsageError) throw error;
      throw new UsageError(
        `The vocabulary in ${path.join(runDir, RUN_FILE)} cannot be read (${errorLine(error)}): the run folder is damaged. Restore its ${RUN_FILE}, or train a new run.`,
      );
    }
    const info = record.data;
    if (info.kind !== 'classify' || !info.prior) return { dir: runDir, record, model, vocab };
    try {
      const bayes = NaiveBayes.fromJSON(JSON.parse(fs.readFileSync(path.join(runDir, NAIVE_BAYES_FILE), 'utf8')) as NaiveBayesFile);
      return { dir: runDir, record, model, vocab, prior: { bayes, scale: info.prior.scale } };
    } catch (error) {
      model.dispose();
      throw new UsageError(
        `The naive-Bayes prior of ${runDir} cannot be read (${errorLine(error)}): the run folder is damaged. Restore its ${NAIVE_BAYES_FILE}, or train a new run.`,
      );
    }
  }
  return { dir: runDir, record, model };
}

/** Prompt tokens a stateful model reads to build up its state (the preview sends at most 512 characters). */
const MAX_PROMPT_TOKENS = 4096;

/**
 * Encodes a prompt for a text run as it was trained: a stateful model reads up to {@link MAX_PROMPT_TOKENS} of its last
 * tokens to build up its state, a model trained on windows from a zero state its last `seqLen`. See
 * Vocabulary.encodePrompt for the partial word held back.
 */
function encodePrompt(run: LoadedRun, prompt: string): EncodedPrompt {
  const vocab = textVocab(run);
  if (prompt.length === 0) throw new UsageError('The prompt is empty: give some text for the model to continue (--prompt "...").');
  const data = run.record.data as TextDataInfo;
  const encoded = vocab.encodePrompt(prompt, data.stateful ? MAX_PROMPT_TOKENS : data.seqLen);
  if (encoded.ids.length === 0) throw new UsageError(`The prompt "${prompt}" has no token to continue from: give some text before the partial word.`);
  return encoded;
}

/** Keeps the probabilities of the tokens that start with `prefix` (a held-back partial word), when any has some. */
function startingWith(probs: Float32Array, vocab: Vocabulary, prefix: string): Float32Array {
  if (!prefix) return probs;
  const kept = probs.map((p, id) => (vocab.tokens[id].startsWith(prefix) ? p : 0));
  return kept.some((p) => p > 0) ? kept : probs;
}

function textVocab(run: LoadedRun): Vocabulary {
  if (!run.vocab || run.record.data.kind !== 'text') throw new UsageError(`${run.dir} is a ${run.record.data.kind} run: this needs a text run.`);
  return run.vocab;
}

/** Runs ids through the model from `state`, returning the next-token probabilities after the last one and the new state. */
function advance(model: SequenceModel, ids: number[], state?: ModelState): { probs: Float32Array; state: ModelState } {
  const [probs, ...flatState] = tf.tidy(() => {
    const { logits, state: next } = model.textLogits(tf.tensor2d(ids, [1, ids.length], 'int32'), undefined, state);
    return [tf.softmax(tf.slice(logits, [ids.length - 1, 0], [1, -1])), ...flattenState(next)];
  });
  const values = probs.dataSync() as Float32Array;
  probs.dispose();
  disposeState(state);
  return { probs: values, state: regroupState(model.spec.cell, flatState as tf.Tensor2D[]) };
}

/** The `k` most likely next tokens after a prompt (the unknown token never counts), and optionally one token's probability. */
export function predictNext(run: LoadedRun, prompt: string, k: number, target?: string): NextTokenPrediction {
  const vocab = textVocab(run);
  const { ids, unknown } = encodePrompt(run, prompt);
  const { probs, state } = advance(run.model, ids);
  disposeState(state);
  const ranked = [...probs.keys()]
    .filter((id) => id !== 0)
    .sort((a, b) => probs[b] - probs[a])
    .slice(0, k);
  const prediction: NextTokenPrediction = { topK: ranked.map((id) => ({ token: vocab.tokens[id], prob: probs[id] })), unknownTokens: unknown.length };
  if (target !== undefined) prediction.targetProb = vocab.id(target) === 0 ? null : probs[vocab.id(target)];
  return prediction;
}

/** Continues a prompt (see {@link sampleTokens}), carrying the recurrent state so each token costs one step. */
export function generateText(run: LoadedRun, prompt: string, args: GenerateArgs): { text: string; unknownTokens: number } {
  const vocab = textVocab(run);
  const { ids, unknown, heldBack } = encodePrompt(run, prompt);
  let { probs, state } = advance(run.model, ids);
  try {
    const read = (id: number) => {
      ({ probs, state } = advance(run.model, [id], state));
      return probs;
    };
    // A held-back partial word ("The ki") is completed by the first token (" king"), and the text goes on after it.
    const text = vocab.decode(sampleTokens(ids, startingWith(probs, vocab, heldBack), read, vocab, args));
    return { text: text.startsWith(heldBack) ? text.slice(heldBack.length) : text, unknownTokens: unknown.length };
  } finally {
    disposeState(state);
  }
}

/**
 * A forecast past the end of the data, in original units, with its prediction intervals and the continued time axis when there is one,
 * and `rows`: the forecast as CSV rows in the data file's own format (see {@link forecastRows}), empty when the data is not a file.
 */
export async function forecastNext(
  run: LoadedRun,
  file: string | undefined,
  horizon?: number,
): Promise<{ forecast: number[]; time: number[] | null; target: string; lower: Record<string, number[]>; upper: Record<string, number[]>; rows: string[] }> {
  if (run.record.data.kind !== 'series') throw new UsageError(`${run.dir} is a ${run.record.data.kind} run: forecast needs a series run.`);
  const info: SeriesDataInfo = run.record.data;
  const steps = horizon ?? info.horizon;
  if (!Number.isInteger(steps) || steps < 1 || steps > info.horizon) {
    throw new UsageError(
      `--horizon must be from 1 to ${info.horizon}: this model predicts ${info.horizon} steps at once. Train with a larger --horizon for more.`,
    );
  }
  const loaded = file ? readSource({ file }) : loadRunSource(run.dir, run.record);
  const { config } = run.record;
  const series = loadSeriesCsv(loaded.text, { column: info.target, inputs: config.inputs, missing: config.missing, categorical: info.categorical });
  const rows = series.target.length;
  const needed = Math.max(info.lookback, usesSeasonal(info) ? (info.season ?? 0) : 0);
  if (rows < needed)
    throw new UsageError(
      `The data has ${rows} usable rows; the model needs the last ${needed} (its lookback, and a whole season for its seasonal base) to forecast.`,
    );
  const forecasts = await forecastOrigins(run.model, seriesWindowsFor(series, info), [rows - 1]);
  const forecast = Array.from((forecasts.get(rows - 1) as Float64Array).subarray(0, steps));
  const calibration = run.record.summary?.task === 'series' ? run.record.summary.calibration : undefined;
  const bands = calibration ? futureBands(calibration, forecast) : [];
  const time = series.time && info.timeStep ? continueTime(series.time[rows - 1], info.timeStep, steps) : null;
  return {
    target: info.target,
    forecast,
    time,
    lower: Object.fromEntries(bands.map((band) => [String(band.level), band.lower as number[]])),
    upper: Object.fromEntries(bands.map((band) => [String(band.level), band.upper as number[]])),
    rows: loaded.source.kind === 'file' ? forecastRows(loaded.text, info, forecast, time) : [],
  };
}

/** Each text's class probabilities (most likely first) from a classify run, and the text's tokens it read as unknown. */
export function classifyTexts(run: LoadedRun, texts: readonly string[]): ClassifyResult['results'] {
  const data = classifyData(run);
  const vocab = run.vocab as Vocabulary;
  const ids = texts.map((text) => vocab.encode(text).subarray(0, data.maxLen));
  const prior = run.prior;
  const logProbs = classLogProbs(
    run.model,
    ids.map((read) => readable(read, data.maxLen)),
    prior && texts.map((text) => priorLogProbs(prior, text)),
  );
  return logProbs.map((logp, k) => ({
    labels: Array.from(logp, (l, c) => ({ label: data.labels[c], prob: Math.exp(l) })).sort((a, b) => b.prob - a.prob),
    unknownTokens: ids[k].filter((id) => id === 0).length,
  }));
}

/** A classify run's data info, or a UsageError for another kind of run. */
export function classifyData(run: LoadedRun): ClassifyDataInfo {
  if (run.record.data.kind !== 'classify') throw new UsageError(`${run.dir} is a ${run.record.data.kind} run: this needs a classify run.`);
  return run.record.data;
}

/**
 * The run's metrics and baselines on its own held-out split, or on another file: all of a text (scored both ways), a
 * series' test split, every row of a labelled file.
 */
export async function evaluateRun(run: LoadedRun, file?: string): Promise<RunSummary> {
  const { kind } = run.record.data;
  if (kind === 'text' || kind === 'classify') {
    // All of another file is held out; the baselines still come from the run's own training split.
    let own: LoadedSource;
    try {
      own = loadRunSource(run.dir, run.record);
    } catch (error) {
      const baselines = kind === 'text' ? 'the bigram baseline' : 'the baselines';
      const uses = file
        ? `${baselines} for ${file} ${kind === 'text' ? 'is counted' : 'are fitted'} on it`
        : `the held-out split and ${baselines} come from it`;
      throw new UsageError(
        `The run's training ${kind === 'text' ? 'text' : 'data'} cannot be read, and ${uses}: ${(error as Error).message.replace(/ Pass the data[^.]*\./, '')} Restore it to evaluate.`,
      );
    }
    const heldOutText = file === undefined ? undefined : readSource({ file }).text;
    return createTask(own, run.record.config, run.record).evaluate(run.model, { heldOutText, bothScorings: true });
  }
  const loaded = file ? readSource({ file }) : loadRunSource(run.dir, run.record);
  return createTask(loaded, run.record.config, run.record).evaluate(run.model);
}
