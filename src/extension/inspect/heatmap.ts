// The dashboard's "Inside the model" heatmap: the chosen units' values at each token of a selection, with the editor's colour buckets.
import { MAX_HEATMAP_TOKENS, type InsideHeatmap } from '../../shared/protocol';
import type { PackedActivations } from '../../shared/inspect';
import { activationBucket, activationScale } from './colorScale';
import { tokensIn, type Span } from './tokenRanges';

/**
 * The rows of `units` over the tokens of `activations` that overlap `span` (offsets in the text read), the first
 * `maxTokens` of them; each value's bucket on the editor's scale (h: ±1; an LSTM's c: the unit's largest |c| in the selection).
 */
export function buildHeatmap(activations: PackedActivations, span: Span, units: readonly number[], maxTokens = MAX_HEATMAP_TOKENS): InsideHeatmap {
  const { values, units: H, valuesFrom, state, layer } = activations;
  const rows = values.length / H;
  const placed = tokensIn({ tokens: activations.tokens, offsets: activations.offsets, base: 0 }, span).filter(
    (t) => t.index >= valuesFrom && t.index - valuesFrom < rows,
  );
  const shown = placed.slice(0, maxTokens);
  // The selection's rows alone, to scale an LSTM's c by what the selection holds.
  const first = shown.length > 0 ? shown[0].index - valuesFrom : 0;
  const selection = values.subarray(first * H, (first + shown.length) * H);
  const heat: InsideHeatmap = {
    layer,
    state,
    tokens: shown.map((t) => activations.tokens[t.index]),
    units: [...units],
    values: [],
    buckets: [],
    truncated: placed.length - shown.length,
  };
  for (const unit of units) {
    const scale = activationScale(state, selection, H, unit);
    const row = shown.map((t) => values[(t.index - valuesFrom) * H + unit]);
    heat.values.push(row);
    heat.buckets.push(row.map((v) => activationBucket(v, scale)));
  }
  return heat;
}
