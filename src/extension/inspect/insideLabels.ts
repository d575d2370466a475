// The inside view's words and numbers: signed values, the units most active at a token, each unit's spread over the text, and the labels of the status bar, the hover and the quick picks.
import type { CellType } from '../../shared/options';
import type { InspectState, SurprisalResult, UnitScore } from '../../shared/inspect';

/** A value with its sign and a true minus: "+0.82", "−0.31". */
export function formatSigned(value: number, digits = 2): string {
  const text = Math.abs(value).toFixed(digits);
  if (Number(text) === 0) return (0).toFixed(digits);
  return `${value < 0 ? '−' : '+'}${text}`;
}

/** The `k` units whose |value| is largest in row `row` of `values` (row-major [rows × units]), largest first. */
export function topUnitsAt(values: Float32Array, units: number, row: number, k: number): { unit: number; value: number }[] {
  const found: { unit: number; value: number }[] = [];
  for (let unit = 0; unit < units; unit++) found.push({ unit, value: values[row * units + unit] });
  return found.sort((a, b) => Math.abs(b.value) - Math.abs(a.value) || a.unit - b.unit).slice(0, k);
}

/** One unit over some rows: its smallest and largest value, and its variance. */
export interface UnitSpread {
  unit: number;
  min: number;
  max: number;
  variance: number;
}

/** Each unit's spread over rows [from, to) of `values` (row-major [rows × units]). */
export function unitSpreads(values: Float32Array, units: number, from: number, to: number): UnitSpread[] {
  const n = Math.max(0, to - from);
  const spreads: UnitSpread[] = [];
  for (let unit = 0; unit < units; unit++) {
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    let squares = 0;
    for (let row = from; row < to; row++) {
      const x = values[row * units + unit];
      min = Math.min(min, x);
      max = Math.max(max, x);
      sum += x;
      squares += x * x;
    }
    const mean = n > 0 ? sum / n : 0;
    spreads.push({ unit, min: n > 0 ? min : 0, max: n > 0 ? max : 0, variance: n > 0 ? Math.max(0, squares / n - mean * mean) : 0 });
  }
  return spreads;
}

/** The unit that varies most over the rows: the default unit to show, the one that colours the text most. */
export function mostVariedUnit(values: Float32Array, units: number, from: number, to: number): number {
  const spreads = unitSpreads(values, units, from, to);
  return spreads.reduce((best, s) => (s.variance > best.variance ? s : best), spreads[0]).unit;
}

/** "LSTM h", "GRU h": the cell and the state shown. */
export function cellState(cell: CellType, state: InspectState): string {
  return `${cell.toUpperCase()} ${state}`;
}

/** "layer 2 of 2" (layers counted from 1 for the reader), or nothing for a one-layer model. */
export function layerLabel(layer: number, layers: number): string {
  return layers > 1 ? `layer ${layer + 1} of ${layers}` : '';
}

/** The status bar's text while activations show: "unit 17 · LSTM h" (with the layer when there are several). */
export function activationsStatus(unit: number, cell: CellType, state: InspectState, layer: number, layers: number): string {
  return [`unit ${unit}`, layerLabel(layer, layers), cellState(cell, state)].filter(Boolean).join(' · ');
}

/** The status bar's text while surprisal shows: "12,345 bits · 2.31 bits/char". */
export function surprisalStatus(result: Pick<SurprisalResult, 'totalBits' | 'bitsPerChar' | 'scoredTokens'>): string {
  if (result.scoredTokens === 0) return 'no token scored';
  return `${Math.round(result.totalBits).toLocaleString('en-US')} bits · ${result.bitsPerChar.toFixed(2)} bits/char`;
}

/** What part of the document was read, when not all of it: " · first 13,000 characters", " · characters 2,000,000–2,024,000". */
export function readExtent(read: { start: number; end: number }, documentLength: number): string {
  if (read.start === 0 && read.end >= documentLength) return '';
  const n = (value: number) => value.toLocaleString('en-US');
  return read.start === 0 ? ` · first ${n(read.end)} characters` : ` · characters ${n(read.start)}–${n(read.end)}`;
}

/** A unit search score in a quick pick's description, short enough to leave room for the section's name: "d −3.21 · AUC 0.97 · interp. 0.81 · var. 0.210". */
export function unitScoreLine(score: UnitScore): string {
  return `d ${formatSigned(score.separation)} · AUC ${score.auc.toFixed(2)} · interp. ${score.interpretability.toFixed(2)} · var. ${score.variance.toFixed(3)}`;
}

/** The means inside and outside the span, for a quick pick's detail line. */
export function unitMeansLine(score: UnitScore): string {
  return `mean ${formatSigned(score.meanInside)} in the selection, ${formatSigned(score.meanOutside)} outside`;
}

/** A token as Markdown code that shows its spaces and line breaks: `␣the`, `↵`. */
export function shownToken(token: string): string {
  const visible = token.replace(/\r?\n/g, '↵').replace(/\r/g, '↵').replace(/ /g, '␣').replace(/\t/g, '⇥').replace(/`/g, "'");
  return '`' + (visible.length > 40 ? `${visible.slice(0, 39)}…` : visible) + '`';
}
