// From the engine's tokens (offsets in the text read) to document character ranges: the tokens inside a span, merged into one range list per colour bucket, and the token at an offset.

/** A span of document offsets (UTF-16 code units), [start, end). */
export interface Span {
  start: number;
  end: number;
}

/** A token of a result placed in the document: its index in the result and its document offsets [start, end). */
export interface PlacedToken {
  index: number;
  start: number;
  end: number;
}

/** The tokens as a result lists them: each one's text, and its offset in the text read, which starts at document offset `base`. */
export interface ReadTokens {
  tokens: readonly string[];
  offsets: readonly number[];
  base: number;
}

/** The index of the first token that ends after document offset `offset` (tokens.length when none does). */
function firstEndingAfter(read: ReadTokens, offset: number): number {
  let lo = 0;
  let hi = read.offsets.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (read.base + read.offsets[mid] + read.tokens[mid].length <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The tokens that overlap `span`, in order, clipped to it. */
export function tokensIn(read: ReadTokens, span: Span): PlacedToken[] {
  const placed: PlacedToken[] = [];
  for (let index = firstEndingAfter(read, span.start); index < read.offsets.length; index++) {
    const start = read.base + read.offsets[index];
    if (start >= span.end) break;
    const end = start + read.tokens[index].length;
    placed.push({ index, start: Math.max(start, span.start), end: Math.min(end, span.end) });
  }
  return placed;
}

/** The index of the token that covers document offset `offset`, or undefined outside the text read. */
export function tokenAt(read: ReadTokens, offset: number): number | undefined {
  const index = firstEndingAfter(read, offset);
  return index < read.offsets.length && read.base + read.offsets[index] <= offset ? index : undefined;
}

/** Whether a token is only line breaks, which are left uncoloured (a background there would paint the end of the line). */
const isLineBreak = (token: string) => /^[\r\n]+$/.test(token);

/**
 * The ranges to colour, by bucket: each placed token in its bucket (0: none), consecutive tokens of one bucket merged
 * into one range, line breaks left out.
 */
export function bucketRanges(placed: readonly PlacedToken[], tokens: readonly string[], bucketOf: (index: number) => number): Map<number, Span[]> {
  const ranges = new Map<number, Span[]>();
  let open: { bucket: number; span: Span } | undefined;
  for (const token of placed) {
    const bucket = isLineBreak(tokens[token.index]) ? 0 : bucketOf(token.index);
    if (open && open.bucket === bucket && open.span.end === token.start) {
      open.span.end = token.end;
      continue;
    }
    if (bucket === 0) {
      open = undefined;
      continue;
    }
    const span = { start: token.start, end: token.end };
    const list = ranges.get(bucket) ?? [];
    list.push(span);
    ranges.set(bucket, list);
    open = { bucket, span };
  }
  return ranges;
}
