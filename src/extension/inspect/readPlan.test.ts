// Tests of what the inside view colours and reads: the visible span widened and bounded, the whole document or a prefix when it fits, a window before what is coloured when it does not, and when a read can serve after a scroll.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  canReuse,
  CONTEXT_CHARS,
  decoratedSpan,
  LOOKAHEAD_CHARS,
  MAX_DECORATED_CHARS,
  MAX_READ_CHARS,
  maxReadChars,
  planRead,
  rowsSpan,
  selectedSpan,
  unitSearchRead,
} from './readPlan';

test('the span coloured: the visible lines and about as much above and below, never more than the bound', () => {
  assert.deepEqual(decoratedSpan([{ start: 5000, end: 7000 }], 20_000), { start: 3000, end: 9000 });
  // Folded regions make several visible spans: first to last.
  assert.deepEqual(
    decoratedSpan(
      [
        { start: 5000, end: 5500 },
        { start: 9000, end: 9500 },
      ],
      20_000,
      10_000,
    ),
    { start: 2250, end: 12_250 },
  );
  // At the start of the document the margin above goes below.
  assert.deepEqual(decoratedSpan([{ start: 0, end: 3000 }], 20_000), { start: 0, end: 9000 });
  assert.deepEqual(decoratedSpan([{ start: 17_000, end: 20_000 }], 20_000), { start: 11_000, end: 20_000 });
  // A short document is coloured whole.
  assert.deepEqual(decoratedSpan([{ start: 0, end: 300 }], 300), { start: 0, end: 300 });
  // One 5 MB line in view: its first characters only.
  assert.deepEqual(decoratedSpan([{ start: 0, end: 5_000_000 }], 5_000_000), { start: 0, end: MAX_DECORATED_CHARS });
  for (const visible of [[{ start: 2_000_000, end: 2_004_000 }], [{ start: 0, end: 9999 }], [{ start: 123, end: 4_000_123 }]]) {
    const span = decoratedSpan(visible, 5_000_000);
    assert.ok(span.end - span.start <= MAX_DECORATED_CHARS, JSON.stringify(span));
    assert.ok(span.start <= visible[0].start, 'starts at or before what is visible');
  }
  assert.deepEqual(decoratedSpan([], 50_000), { start: 0, end: MAX_DECORATED_CHARS });
});

test('what is read: activations a prefix to a little past what is coloured, surprisal the whole document, when they fit', () => {
  assert.deepEqual(planRead('prefix', { start: 3000, end: 9000 }, 20_000), { start: 0, end: 9000 + LOOKAHEAD_CHARS, bounded: false });
  assert.deepEqual(planRead('prefix', { start: 11_000, end: 20_000 }, 20_000), { start: 0, end: 20_000, bounded: false });
  assert.deepEqual(planRead('whole', { start: 3000, end: 9000 }, 20_000), { start: 0, end: 20_000, bounded: false });
  assert.deepEqual(planRead('whole', { start: 0, end: 100 }, MAX_READ_CHARS), { start: 0, end: MAX_READ_CHARS, bounded: false });
});

test('a document too long to read: a window from the context before what is coloured, never more than the most a request carries', () => {
  const decorated = { start: 2_000_000, end: 2_010_000 };
  for (const kind of ['prefix', 'whole'] as const) {
    const plan = planRead(kind, decorated, 5_000_000);
    assert.deepEqual(plan, { start: decorated.start - CONTEXT_CHARS, end: decorated.end + LOOKAHEAD_CHARS, bounded: true });
    assert.ok(plan.end - plan.start <= MAX_READ_CHARS);
  }
  // A prefix that just passes the limit.
  const late = planRead('prefix', { start: 95_000, end: 99_000 }, 200_000);
  assert.deepEqual(late, { start: 85_000, end: 103_000, bounded: true });
  // Near the start of a long document the window starts at 0: read from the start, so not bounded.
  assert.deepEqual(planRead('whole', { start: 0, end: 10_000 }, 5_000_000), { start: 0, end: 14_000, bounded: false });
  // A wide model reads less, and still covers what is coloured.
  const max = maxReadChars(4096);
  assert.equal(max, MAX_DECORATED_CHARS + LOOKAHEAD_CHARS);
  const wide = planRead('prefix', { start: 40_000, end: 50_000 }, 60_000, max);
  assert.ok(wide.start <= 40_000 && wide.end >= 50_000 && wide.end - wide.start <= max, JSON.stringify(wide));
  assert.equal(maxReadChars(128), MAX_READ_CHARS);
  assert.equal(maxReadChars(512), 48_828);
});

test('a read serves after a scroll while its values cover what is coloured and it reads it as a fresh plan would', () => {
  const read = { start: 0, end: 13_000, bounded: false };
  const fresh = (decorated: { start: number; end: number }) => planRead('prefix', decorated, 20_000);
  const near = { start: 2000, end: 9000 };
  assert.equal(canReuse(read, read, near, fresh(near)), true);
  const below = { start: 8000, end: 15_000 };
  assert.equal(canReuse(read, read, below, fresh(below)), false, 'past the end of what was read');
  assert.equal(canReuse(read, { start: 4000, end: 13_000 }, near, fresh(near)), false, 'before the rows held');
  // In a long document: the window serves while at least half its context lies before what is coloured.
  const window = { start: 1_990_000, end: 2_014_000, bounded: true };
  const big = (decorated: { start: number; end: number }) => planRead('prefix', decorated, 5_000_000);
  const down = { start: 2_002_000, end: 2_012_000 };
  assert.equal(canReuse(window, window, down, big(down)), true);
  const up = { start: 1_993_000, end: 2_003_000 };
  assert.equal(canReuse(window, window, up, big(up)), false, 'too little context left');
});

test('the rows returned: from half a bound before what is coloured to the end of what is read', () => {
  assert.deepEqual(rowsSpan({ start: 0, end: 13_000 }, { start: 3000, end: 9000 }), { start: 0, end: 13_000 });
  assert.deepEqual(rowsSpan({ start: 0, end: 20_000 }, { start: 11_000, end: 20_000 }), { start: 6000, end: 20_000 });
});

test('unit search reads the whole document when it fits, else the selection centred in a window; a selection too long is refused', () => {
  assert.deepEqual(unitSearchRead({ start: 10, end: 20 }, 20_000), { start: 0, end: 20_000, bounded: false });
  const plan = unitSearchRead({ start: 2_000_000, end: 2_000_100 }, 5_000_000);
  assert.ok(typeof plan !== 'string');
  assert.equal(plan.end - plan.start, MAX_READ_CHARS);
  assert.ok(plan.start < 2_000_000 && plan.end > 2_000_100);
  assert.match(unitSearchRead({ start: 0, end: 60_000 }, 5_000_000) as string, /^The selection has 60,000 characters: select at most 50,000/);
});

test('a selection is coloured as it is, within the document and the bound', () => {
  assert.deepEqual(selectedSpan({ start: 10, end: 500 }, 20_000), { start: 10, end: 500 });
  assert.deepEqual(selectedSpan({ start: 10, end: 500 }, 300), { start: 10, end: 300 }, 'the document shrank');
  assert.deepEqual(selectedSpan({ start: 1000, end: 50_000 }, 60_000), { start: 1000, end: 1000 + MAX_DECORATED_CHARS });
});
