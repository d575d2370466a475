// Which part of a document the inside view colours (what is visible, bounded) and which part the model reads for it (the whole document when it fits, else a window before what is coloured).
import { MAX_REQUEST_TEXT_CHARS } from '../../shared/protocol';
import type { Span } from './tokenRanges';

/** The most characters coloured at once: what is visible and about a screen above and below, never more. */
export const MAX_DECORATED_CHARS = 10_000;
/** The most characters the model reads for one request (a request carries at most this many). */
export const MAX_READ_CHARS = MAX_REQUEST_TEXT_CHARS;
/** A document too long to read whole is read from this many characters before what is coloured (the state starts from zero there). */
export const CONTEXT_CHARS = 10_000;
/** Activations read on this far past what is coloured, so that scrolling down a little needs no new request. */
export const LOOKAHEAD_CHARS = 4_000;
/** Activation values the engine holds for one request (100 MB as float32): a wide model reads fewer characters. */
export const MAX_READ_VALUES = 25_000_000;

/**
 * The span to colour: the visible spans (first to last) widened by about their length on each side, at most
 * `max` characters in all; a visible span longer than that (a very long line) is cut to its first `max` characters.
 */
export function decoratedSpan(visible: readonly Span[], documentLength: number, max = MAX_DECORATED_CHARS): Span {
  if (visible.length === 0) return { start: 0, end: Math.min(documentLength, max) };
  const start = Math.min(...visible.map((s) => s.start));
  const end = Math.max(...visible.map((s) => s.end));
  if (end - start >= max) return { start, end: start + max };
  const margin = Math.min(end - start, Math.floor((max - (end - start)) / 2));
  let from = Math.max(0, start - margin);
  let to = Math.min(documentLength, end + margin);
  // What one side cannot take (the start or the end of the document) goes to the other.
  const spare = max - (to - from);
  if (from === 0) to = Math.min(documentLength, to + Math.min(spare, margin));
  else if (to === documentLength) from = Math.max(0, from - Math.min(spare, margin));
  return { start: from, end: to };
}

/** The span to colour for a selection: the selection within the document (after edits, it may have shrunk), at most `max` characters from its start. */
export function selectedSpan(selection: Span, documentLength: number, max = MAX_DECORATED_CHARS): Span {
  const start = Math.min(selection.start, documentLength);
  return { start, end: Math.min(selection.end, documentLength, start + max) };
}

/** What the model reads: a span of the document, and whether it starts after the document's start (read from a zero state there). */
export interface ReadPlan extends Span {
  /** The document is too long to read whole up to what is coloured: the read starts {@link CONTEXT_CHARS} before it. */
  bounded: boolean;
}

/**
 * What to read to colour `decorated`. Activations (`prefix`): the state after a token depends only on the tokens before
 * it, so the document is read from its start to a little past what is coloured. Surprisal (`whole`): the whole
 * document, for its total bits. Either way, when that is more than `maxChars`, a window from {@link CONTEXT_CHARS}
 * before what is coloured.
 */
export function planRead(kind: 'prefix' | 'whole', decorated: Span, documentLength: number, maxChars = MAX_READ_CHARS): ReadPlan {
  const ahead = Math.min(documentLength, decorated.end + LOOKAHEAD_CHARS);
  if ((kind === 'whole' ? documentLength : ahead) <= maxChars) return { start: 0, end: kind === 'whole' ? documentLength : ahead, bounded: false };
  const context = Math.max(0, Math.min(CONTEXT_CHARS, maxChars - (decorated.end - decorated.start) - LOOKAHEAD_CHARS));
  const start = Math.max(0, decorated.start - context);
  return { start, end: Math.min(ahead, start + maxChars), bounded: start > 0 };
}

/** The most characters to read for a model of `units` units a layer (see {@link MAX_READ_VALUES}). */
export function maxReadChars(units: number): number {
  return Math.max(MAX_DECORATED_CHARS + LOOKAHEAD_CHARS, Math.min(MAX_READ_CHARS, Math.floor(MAX_READ_VALUES / Math.max(1, units))));
}

/**
 * Whether what was read (`read`, with values held for `held`) still serves to colour `decorated` after a scroll,
 * `fresh` being what would be read for it now: the values cover it, and it was read as `fresh` would read it (from the
 * document's start), or with at least half the context before it.
 */
export function canReuse(read: ReadPlan, held: Span, decorated: Span, fresh: ReadPlan): boolean {
  if (decorated.start < held.start || decorated.end > held.end) return false;
  if (read.start === 0 || fresh.start === 0) return read.start === fresh.start;
  return decorated.start - read.start >= (decorated.start - fresh.start) / 2;
}

/** The rows of activations to return for `decorated`: what is coloured and the lookahead after it, within what is read. */
export function rowsSpan(read: Span, decorated: Span): Span {
  return { start: Math.max(read.start, decorated.start - MAX_DECORATED_CHARS / 2), end: read.end };
}

/** What unit search reads for a selection: the whole document when it fits, else the selection with context around it; a string says why not. */
export function unitSearchRead(selection: Span, documentLength: number, maxChars = MAX_READ_CHARS): ReadPlan | string {
  if (documentLength <= maxChars) return { start: 0, end: documentLength, bounded: false };
  const length = selection.end - selection.start;
  if (length > maxChars / 2)
    return `The selection has ${length.toLocaleString('en-US')} characters: select at most ${(maxChars / 2).toLocaleString('en-US')} in a document this long.`;
  const around = Math.floor((maxChars - length) / 2);
  const start = Math.max(0, selection.start - around);
  const end = Math.min(documentLength, start + maxChars);
  return { start, end, bounded: true };
}
