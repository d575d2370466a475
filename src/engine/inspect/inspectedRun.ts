// A text run ready to inspect: its model and vocabulary, and how `seqlab eval` reads a stream with it (state carried, or reset every seqLen).
import type { Vocabulary } from '../data/text';
import type { SequenceModel } from '../model';
import type { LoadedRun } from '../predict';
import { UsageError } from '../../shared/options';
import { CELL_STATES, type InspectState, type InspectStream } from '../../shared/inspect';
import type { TextScoring } from '../../shared/runFolder';

/** What every inspection reads: a text model, its vocabulary and the stream semantics of its evaluation. */
export interface InspectedRun {
  model: SequenceModel;
  vocab: Vocabulary;
  stream: InspectStream;
}

/**
 * A loaded run as an {@link InspectedRun}, or a one-line {@link UsageError} for a series or classify run (`what` names the
 * command: "activations need"). `scoring` overrides how the stream is read; by default it is read the way eval scores
 * the run: carried for a run trained statefully, else reset every seqLen tokens (its training windows, each from a zero state).
 */
export function inspectedRun(run: LoadedRun, what: string, scoring?: TextScoring): InspectedRun {
  const data = run.record.data;
  if (data.kind !== 'text' || !run.vocab) throw new UsageError(`${run.dir} is a ${data.kind} run; ${what} a text run.`);
  return { model: run.model, vocab: run.vocab, stream: { scoring: scoring ?? (data.stateful ? 'carried' : 'reset'), seqLen: data.seqLen } };
}

/** Checks a layer index (0-based; undefined = the last layer) and a state against the model, returning the layer. */
export function checkLayerAndState(run: InspectedRun, layer: number | undefined, state: InspectState): number {
  const { layers, cell } = run.model.spec;
  const chosen = layer ?? layers - 1;
  if (!Number.isInteger(chosen) || chosen < 0 || chosen >= layers)
    throw new UsageError(
      `--layer must be ${layers === 1 ? '0: the model has one layer' : `from 0 to ${layers - 1}: the model has ${layers} layers`}, not ${layer}.`,
    );
  const states = CELL_STATES[cell];
  if (!states.includes(state)) {
    const name = cell === 'rnn' ? 'An RNN' : `A ${cell.toUpperCase()}`;
    const has = states.length === 1 ? `only the state h` : `the states ${states.join(' and ')}`;
    throw new UsageError(
      `${name} has ${has} (--state ${states.join('|')}); ${state === 'c' ? 'the cell state c exists only in an LSTM' : `there is no state "${state}"`}.`,
    );
  }
  return chosen;
}
