// Terminal tables for the inspection commands: activations, surprisal, trace and unit search (--json prints the results whole).
import {
  CELL_GATES,
  type ActivationsResult,
  type SurprisalResult,
  type TraceLayer,
  type TraceResult,
  type UnitScore,
  type UnitSearchResult,
} from '../shared/inspect';

/** Units (columns) the activation and trace tables show; --json has them all. */
const SHOWN_UNITS = 8;
const TRACE_UNITS = 6;

/** A token as a table cell: quoted, so that spaces and line breaks show. */
function quoted(token: string, width = 12): string {
  const shown = JSON.stringify(token);
  return (shown.length > width ? shown.slice(0, width - 1) + '…' : shown).padEnd(width);
}

function fixed(value: number, width: number, digits = 3): string {
  return value.toFixed(digits).padStart(width);
}

function percent(prob: number): string {
  return `${(prob * 100).toFixed(1)}%`;
}

/** Tokens by rows, the first units by columns, under a line with the shape. */
export function formatActivations(result: ActivationsResult): string {
  const shown = Math.min(SHOWN_UNITS, result.units);
  const shape = `Layer ${result.layer} (of ${result.layers}, counted from 0; ${result.cell}, state ${result.state}): ${result.tokens.length} tokens × ${result.units} units`;
  const header = 'token'.padEnd(12) + 'offset'.padStart(8) + Array.from({ length: shown }, (_, u) => `u${u}`.padStart(9)).join('');
  const rows = result.tokens.map(
    (token, t) =>
      quoted(token) +
      String(result.offsets[t]).padStart(8) +
      result.values[t]
        .slice(0, shown)
        .map((v) => fixed(v, 9))
        .join(''),
  );
  return [`${shape}${shown < result.units ? `, the first ${shown} shown (--json for all)` : ''}.`, header, ...rows].join('\n');
}

/** Each token's bits, probability and the likeliest tokens there, then the total. */
export function formatSurprisal(result: SurprisalResult): string {
  const header = 'token'.padEnd(12) + 'offset'.padStart(8) + 'bits'.padStart(9) + 'prob'.padStart(8) + '   likeliest';
  const rows = result.tokens.map((token, t) => {
    const bits = result.bits[t];
    const prob = result.probs[t];
    const cells = bits === null || prob === null ? '-'.padStart(9) + '-'.padStart(8) : fixed(bits, 9) + percent(prob).padStart(8);
    const top = result.top[t].map((alt) => `${JSON.stringify(alt.token)} ${percent(alt.prob)}`).join('  ');
    return (quoted(token) + String(result.offsets[t]).padStart(8) + cells + (top ? `   ${top}` : '')).trimEnd();
  });
  const total = `Total: ${result.totalBits.toFixed(2)} bits over ${result.scoredTokens} scored tokens (${result.scoredCharacters} characters): ${result.bitsPerChar.toFixed(3)} bits per character.`;
  return [header, ...rows, total].join('\n');
}

/** Every step as a block of rows (x_t, h_{t−1}, each gate's terms, c, h) over the first units, then the likeliest next tokens. */
export function formatTrace(result: TraceResult): string {
  const gates = CELL_GATES[result.cell];
  const shown = Math.min(TRACE_UNITS, result.hidden);
  const row = (label: string, values: readonly number[], from = 0) =>
    `    ${label.padEnd(16)}` +
    values
      .slice(from, from + shown)
      .map((v) => fixed(v, 9))
      .join('');
  const lines = [
    `${result.cell} with ${result.layers.length} layer(s) of ${result.hidden} units; the first ${shown} units (and values of x_t) shown, --json for all.`,
  ];
  const units = ''.padEnd(20) + Array.from({ length: shown }, (_, u) => `u${u}`.padStart(9)).join('');
  result.steps.forEach((step, t) => {
    lines.push('', `Step ${t}: ${JSON.stringify(result.tokens[t])} (offset ${result.offsets[t]})`);
    step.layers.forEach((layer: TraceLayer, l) => {
      const biases = result.layers[l];
      lines.push(`  layer ${l}${units.slice(9)}`, row('x_t', layer.x), row('h_{t-1}', layer.hPrev));
      const blocks = gates.length === 0 ? [''] : gates;
      blocks.forEach((gate, b) => {
        const H = result.hidden;
        const at = b * H;
        const name = gate ? `${gate}: ` : '';
        const activation = gate === '' || gate === 'g' || gate === 'n' ? 'tanh' : 'σ';
        lines.push(
          row(`${name}W_ih·x_t`, layer.wx, at),
          row(`${name}b_ih`, biases.bIh, at),
          row(`${name}W_hh·h_{t-1}`, layer.wh, at),
          row(`${name}b_hh`, biases.bHh, at),
          row(`${name}pre`, layer.pre, at),
          ...(gate ? [row(`${name}${activation}(pre)`, layer.gates[gate])] : []),
        );
      });
      if (layer.cPrev && layer.c) lines.push(row('c_{t-1}', layer.cPrev), row('c_t', layer.c));
      lines.push(row('h_t', layer.h));
    });
    lines.push(`  next: ${step.top.map((alt) => `${JSON.stringify(alt.token)} ${percent(alt.prob)}`).join('  ')}`);
  });
  if (result.cell === 'gru') lines.push('', "GRU: n's pre is W_in·x_t + b_in + r ⊙ (W_hn·h_{t-1} + b_hn), PyTorch's reset-after form.");
  return lines.join('\n');
}

/** The span's counts, then the top units of each ranking with all their scores. */
export function formatUnits(result: UnitSearchResult): string {
  const header = '  ' + ['unit', 'separation', 'interpret.', 'auc', 'mean in', 'mean out', 'variance'].map((c, i) => c.padStart(i === 0 ? 6 : 11)).join('');
  const table = (scores: UnitScore[]) =>
    scores.map(
      (s) =>
        '  ' +
        String(s.unit).padStart(6) +
        [s.separation, s.interpretability, s.auc, s.meanInside, s.meanOutside, s.variance].map((v) => fixed(v, 11)).join(''),
    );
  return [
    `Span ${result.span.start}:${result.span.end}: ${result.inside} tokens inside, ${result.outside} outside; layer ${result.layer} (${result.cell}, state ${result.state}), ${result.units} units.`,
    "By separation (|d|, Cohen's d of inside against outside):",
    header,
    ...table(result.bySeparation),
    'By variance over the text:',
    header,
    ...table(result.byVariance),
    'By interpretability (|2·AUC − 1| · |mean in − mean out| / range):',
    header,
    ...table(result.byInterpretability),
  ].join('\n');
}
