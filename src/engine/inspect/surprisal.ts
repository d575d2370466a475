// `seqlab surprisal`: −log2 p(token | everything before it) for every token eval scores, with the likeliest alternatives, summing to eval's loss.
import * as tf from '@tensorflow/tfjs-core';
import { crossEntropyAndHits } from '../losses';
import type { Vocabulary } from '../data/text';
import type { InspectedRun } from './inspectedRun';
import { tokenizeText } from './inspectedText';
import { chunkTokens, runStream, tidyWithState } from './stream';
import { UsageError } from '../../shared/options';
import { MAX_INSPECT_TOKENS, type InspectStream, type SurprisalResult } from '../../shared/inspect';

/** What {@link computeSurprisal} reads. */
export interface SurprisalArgs {
  /** Alternatives listed per token, most likely first (default 3). */
  top?: number;
  /** Tokens per forward call (default: eval's chunk); smaller only to test that chunks join up. */
  chunk?: number;
}

/**
 * The tokens eval scores in a text of `count` tokens, [1, end): every token but the first, which has no prefix to be
 * predicted from. Reset scoring scores whole windows only, targets 1 to seqLen·⌊(count − 1)/seqLen⌋ (validationBatches);
 * a text shorter than one window is one shorter window, scored whole (as validationBatches reads it).
 */
export function scoredEnd(count: number, stream: InspectStream): number {
  if (stream.scoring === 'carried') return count;
  const windows = Math.floor((count - 1) / stream.seqLen);
  return windows >= 1 ? windows * stream.seqLen + 1 : count;
}

/**
 * Surprisal of each token of `text` under the run's model, read as one stream exactly as `seqlab eval --file` scores
 * it: the same chunks or windows, the same state, the same per-token cross-entropy (crossEntropyAndHits). So
 * totalBits · ln 2 is eval's loss × its scored tokens. Tokens outside the vocabulary are read and scored as the unknown
 * token, as eval does; the alternatives never list it (as predict does not).
 */
export function computeSurprisal(run: InspectedRun, text: string, args: SurprisalArgs = {}): SurprisalResult {
  const top = args.top ?? 3;
  const V = run.model.spec.vocabSize as number;
  if (!Number.isInteger(top) || top < 1 || top > V - 1)
    throw new UsageError(`--top must be a whole number from 1 to ${V - 1} (the vocabulary's tokens), not ${top}.`);
  const { ids, tokens, offsets, unknown } = tokenizeText(run.vocab, text, MAX_INSPECT_TOKENS);
  const count = ids.length;
  if (count < 2)
    throw new UsageError(`The text has 1 ${run.vocab.kind} token: surprisal scores each token after the first, so it needs at least 2. Pass a longer text.`);
  const end = scoredEnd(count, run.stream);
  const bits: (number | null)[] = new Array(count).fill(null);
  const probs: (number | null)[] = new Array(count).fill(null);
  const alternatives: SurprisalResult['top'] = Array.from({ length: count }, () => []);
  runStream(ids, run.stream, args.chunk ?? chunkTokens(run.model), (segment, input, init) => {
    const n = segment.length;
    // Row r, step t reads token p = starts[r] + t and predicts token p + 1 (none after the text's last token).
    const targets = new Int32Array(segment.starts.length * n);
    segment.starts.forEach((start, r) => {
      for (let t = 0; t < n; t++) targets[r * n + t] = start + t + 1 < count ? ids[start + t + 1] : 0;
    });
    const {
      kept: [losses, logProbs],
      state,
    } = tidyWithState(run.model, () => {
      const { logits, state: next } = run.model.textLogits(input, undefined, init);
      return { kept: [crossEntropyAndHits(logits, tf.tensor1d(targets, 'int32')).losses, tf.logSoftmax(logits)], state: next };
    });
    const nats = losses.dataSync();
    const logp = logProbs.dataSync() as Float32Array;
    tf.dispose([losses, logProbs]);
    segment.starts.forEach((start, r) => {
      for (let t = 0; t < n; t++) {
        const target = start + t + 1;
        if (target >= end) continue;
        const row = r * n + t;
        bits[target] = nats[row] / Math.LN2;
        probs[target] = Math.exp(-nats[row]);
        alternatives[target] = likeliest(logp.subarray(row * V, (row + 1) * V), top, run.vocab);
      }
    });
    return state;
  });
  let totalBits = 0;
  let scoredCharacters = 0;
  for (let p = 1; p < end; p++) {
    totalBits += bits[p] as number;
    scoredCharacters += [...tokens[p]].length;
  }
  const notes: string[] = [];
  if (run.stream.scoring === 'reset') {
    const tail = end < count ? ` The last ${count - end} token(s), after the last whole window, are not scored (eval does not score them either).` : '';
    notes.push(
      `The run was trained on windows of ${run.stream.seqLen} tokens, each from a zero state: the state is reset every ${run.stream.seqLen} tokens, as eval scores.${tail}`,
    );
  }
  return {
    tokens,
    offsets,
    unknown,
    stream: run.stream,
    bits,
    probs,
    top: alternatives,
    totalBits,
    scoredTokens: end - 1,
    scoredCharacters,
    bitsPerChar: totalBits / scoredCharacters,
    notes,
  };
}

/** The `k` likeliest tokens of one row of log-probabilities [V] (never the unknown token, id 0), most likely first. */
function likeliest(logp: Float32Array, k: number, vocab: Vocabulary): { token: string; prob: number }[] {
  const best: number[] = [];
  for (let id = 1; id < logp.length; id++) {
    if (best.length === k && logp[id] <= logp[best[k - 1]]) continue;
    let at = best.length === k ? k - 1 : best.length;
    while (at > 0 && logp[best[at - 1]] < logp[id]) {
      best[at] = best[at - 1];
      at--;
    }
    best[at] = id;
    if (best.length > k) best.length = k;
  }
  return best.map((id) => ({ token: vocab.tokens[id], prob: Math.exp(logp[id]) }));
}
