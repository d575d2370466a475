// `seqlab activations`: one layer's recurrent state (h, or an LSTM's c) after every token of a text, read as one stream as eval reads it.
import { checkLayerAndState, type InspectedRun } from './inspectedRun';
import { chunkTokens, streamLayerStates } from './stream';
import { tokenizeText } from './inspectedText';
import { MAX_INSPECT_TOKENS, type ActivationsResult, type InspectState, type PackedActivations } from '../../shared/inspect';

/** What {@link computeActivations} reads. */
export interface ActivationsArgs {
  /** The layer, from 0 (default: the last). */
  layer?: number;
  /** h (default), or c for an LSTM. */
  state?: InspectState;
  /** Tokens per forward call (default: eval's chunk); smaller only to test that chunks join up. */
  chunk?: number;
}

/**
 * The state of one layer after each token of `text` (values[token][unit]), with the tokens and their offsets. The text
 * is one stream from a zero state, carried or reset every seqLen tokens as the run's evaluation reads it
 * ({@link InspectedRun.stream}), so the last layer's h is exactly what the model's forward pass gives.
 */
export function computeActivations(run: InspectedRun, text: string, args: ActivationsArgs = {}): ActivationsResult {
  const { tokens, offsets, unknown, stream, cell, layers, layer, state, units: H, values: flat } = computePackedActivations(run, text, args);
  const values = Array.from({ length: tokens.length }, (_, t) => Array.from(flat.subarray(t * H, (t + 1) * H)));
  return { tokens, offsets, unknown, stream, cell, layers, layer, state, units: H, values };
}

/**
 * {@link computeActivations} with the values packed row-major, as the engine process sends them to the host: every
 * token's row, or with `rows` only those of the tokens that overlap that span of the text (UTF-16 offsets [start, end)).
 */
export function computePackedActivations(
  run: InspectedRun,
  text: string,
  args: ActivationsArgs & { rows?: { start: number; end: number } } = {},
): PackedActivations {
  const state = args.state ?? 'h';
  const layer = checkLayerAndState(run, args.layer, state);
  const { ids, tokens, offsets, unknown } = tokenizeText(run.vocab, text, MAX_INSPECT_TOKENS);
  const all = streamLayerStates(run, ids, layer, state, args.chunk ?? chunkTokens(run.model)); // [tokens, H]
  const { cell, layers, hidden: H } = run.model.spec;
  let [from, to] = [0, tokens.length];
  if (args.rows) {
    const { start, end } = args.rows;
    // The first token that ends after `start`, and the first from `end` on.
    while (from < tokens.length && offsets[from] + tokens[from].length <= start) from++;
    to = from;
    while (to < tokens.length && offsets[to] < end) to++;
  }
  const values = from === 0 && to === tokens.length ? all : all.slice(from * H, to * H);
  return { tokens, offsets, unknown, stream: run.stream, cell, layers, layer, state, units: H, values, valuesFrom: from };
}
