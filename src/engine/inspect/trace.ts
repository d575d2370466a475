// `seqlab trace`: every term of the recurrence at every step of a short text, recomputed in plain TypeScript from the saved weights.
import { cellStepForward, headForward } from './cellMath';
import type { InspectedRun } from './inspectedRun';
import { tokenizeText } from './inspectedText';
import { modelArrays } from './weights';
import { UsageError } from '../../shared/options';
import { MAX_TRACE_TOKENS, type TraceLayer, type TraceResult } from '../../shared/inspect';

/** What {@link computeTrace} reads. */
export interface TraceArgs {
  /** Likeliest next tokens listed after each step (default 5). */
  top?: number;
}

/**
 * Traces `text` (at most {@link MAX_TRACE_TOKENS} tokens) through every layer with the reference math of cellMath.ts:
 * per token and layer, x_t, h_{t−1}, W_ih·x_t, W_hh·h_{t−1}, the pre-activation, the gates and cell state, h_t; then the
 * head's likeliest next tokens. The stream is read as eval reads it (reset to zero every seqLen tokens for a run trained
 * on windows), so h_t is the model's own forward pass to float rounding.
 */
export function computeTrace(run: InspectedRun, text: string, args: TraceArgs = {}): TraceResult {
  const w = modelArrays(run.model);
  const { cell, hidden: H, vocabSize: V, embeddingSize: E } = w;
  const top = args.top ?? 5;
  if (!Number.isInteger(top) || top < 1 || top > V - 1)
    throw new UsageError(`--top must be a whole number from 1 to ${V - 1} (the vocabulary's tokens), not ${top}.`);
  const { ids, tokens, offsets, unknown } = tokenizeText(run.vocab, text, MAX_TRACE_TOKENS);
  const L = w.layers.length;
  // The state each layer carries: h[l] [H], and c[l] [H] for an LSTM.
  let h: Float32Array[] = Array.from({ length: L }, () => new Float32Array(H));
  let c: Float32Array[] = Array.from({ length: L }, () => new Float32Array(H));
  const steps: TraceResult['steps'] = [];
  for (let t = 0; t < ids.length; t++) {
    if (run.stream.scoring === 'reset' && t > 0 && t % run.stream.seqLen === 0) {
      h = h.map(() => new Float32Array(H));
      c = c.map(() => new Float32Array(H));
    }
    let x: Float32Array = w.embedding.subarray(ids[t] * E, (ids[t] + 1) * E); // [E], then [H] from layer 1 on
    const layers: TraceLayer[] = [];
    for (let l = 0; l < L; l++) {
      const step = cellStepForward(cell, w.layers[l], x, h[l], cell === 'lstm' ? c[l] : undefined, H);
      layers.push({
        x: Array.from(x),
        hPrev: Array.from(h[l]),
        wx: Array.from(step.wx),
        wh: Array.from(step.wh),
        pre: Array.from(step.pre),
        gates: Object.fromEntries(Object.entries(step.gates).map(([name, gate]) => [name, Array.from(gate)])),
        ...(step.c ? { cPrev: Array.from(c[l]), c: Array.from(step.c) } : {}),
        h: Array.from(step.h),
      });
      h[l] = step.h;
      if (step.c) c[l] = step.c;
      x = step.h;
    }
    const probs = new Float32Array(V); // [V] the next token's distribution
    headForward(probs, h[L - 1], w.headW, w.headB, H, V);
    const ranked = Array.from({ length: V - 1 }, (_, k) => k + 1).sort((a, b) => probs[b] - probs[a]);
    steps.push({ layers, top: ranked.slice(0, top).map((id) => ({ token: run.vocab.tokens[id], prob: probs[id] })) });
  }
  return {
    tokens,
    offsets,
    unknown,
    stream: run.stream,
    cell,
    hidden: H,
    layers: w.layers.map((layer) => ({ inputSize: layer.inputSize, bIh: Array.from(layer.bIh), bHh: Array.from(layer.bHh) })),
    steps,
  };
}
