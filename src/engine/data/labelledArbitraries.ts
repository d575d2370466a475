// Generated labelled-text files for fuzzing: CSVs and TSVs of texts and labels with headers, column orders, quotes, classes of every size, BOMs and line ends.
import fc from 'fast-check';

/** Words for texts, with the punctuation, quotes and separators real texts hold. */
const word = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('the', 'film', 'was', 'great', 'awful', 'I', "don't", 'free', 'WINNER!!', 'call', 'now', '5', '3.5', 'é', '👍') },
  { weight: 1, arbitrary: fc.constantFrom('"Hi"', 'a"b', '"', '""', ',', ';', '\t', '...', "'", '\u00a0') },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }) },
);

/** A text: some words, an empty cell, white space, one that spans lines, or a long one. */
const text = fc.oneof(
  { weight: 8, arbitrary: fc.array(word, { minLength: 1, maxLength: 12 }).map((words) => words.join(' ')) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', 'x', 'one\ntwo lines', 'tab\tinside', 'a, b, c', '42', '2024-01-01') },
  { weight: 1, arbitrary: fc.integer({ min: 200, max: 2000 }).map((length) => 'long text '.repeat(length / 10)) },
);

/** Label names of a file: short words (style 0), numbers (1), or strange ones (2: quotes, separators, line breaks, very long). */
function labelName(index: number, style: number): string {
  const strange = ['"quoted"', 'a,b', 'tab\there', 'two\nlines', ' padded ', 'x'.repeat(300), '', '<unk>', 'ham"'];
  if (style === 0) return ['ham', 'spam', 'pos', 'neg', 'neutral'][index] ?? `class${index}`;
  if (style === 1) return String(index - 1);
  return strange[index % strange.length] + (index >= strange.length ? index : '');
}

/** A labelled file's layout: classes from 1 to hundreds, rows, header, column order, delimiter, BOM and line ends. */
const layout = fc.record({
  classes: fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 5 }) }, { weight: 1, arbitrary: fc.constantFrom(60, 300) }),
  labelStyle: fc.constantFrom(0, 0, 0, 1, 1, 2),
  rows: fc.oneof({ weight: 1, arbitrary: fc.integer({ min: 0, max: 40 }) }, { weight: 2, arbitrary: fc.integer({ min: 40, max: 400 }) }),
  header: fc.option(
    fc.tuple(fc.constantFrom('text', 'review', 'message', '', 'label', 'x"y'), fc.constantFrom('label', 'sentiment', 'class', '', 'text', 'y')),
    { freq: 2 },
  ),
  labelsFirst: fc.boolean(),
  idColumn: fc.boolean(),
  delimiter: fc.constantFrom(',', '\t'),
  sloppy: fc.boolean(),
  bom: fc.boolean(),
  lineEnd: fc.constantFrom('\n', '\r\n', '\r'),
  finalLineEnd: fc.boolean(),
});

/**
 * A cell as a file would hold it: quoted (inner quotes doubled) when it must be, else bare or quoted; in a sloppy file
 * also bare when it must not be, quoted badly, or with its delimiters removed.
 */
function written(value: string, delimiter: string, sloppy: boolean): fc.Arbitrary<string> {
  const quoted = `"${value.replaceAll('"', '""')}"`;
  const mustQuote = value.includes(delimiter) || /["\r\n]/.test(value);
  return fc.oneof(
    { weight: 6, arbitrary: fc.constant(mustQuote ? quoted : value) },
    { weight: 2, arbitrary: fc.constant(quoted) },
    { weight: sloppy ? 2 : 0, arbitrary: fc.constantFrom(value, `"${value}`, `${value}"`, value.split(delimiter).join(' ')) },
  );
}

/** A whole labelled CSV or TSV, made from a {@link layout}: each row a text and a label (a skewed choice, so some classes have one row). */
export const labelledFile = layout.chain(({ classes, labelStyle, rows, header, labelsFirst, idColumn, delimiter, sloppy, bom, lineEnd, finalLineEnd }) =>
  fc
    .array(
      fc
        .tuple(text, fc.oneof(fc.integer({ min: 0, max: classes - 1 }), fc.integer({ min: 0, max: Math.min(classes - 1, 1) })))
        .chain(([value, label]) => fc.tuple(written(value, delimiter, sloppy), written(labelName(label, labelStyle), delimiter, sloppy))),
      { minLength: rows, maxLength: rows },
    )
    .map((body) => {
      const row = (textCell: string, labelCell: string, id: string) =>
        [...(idColumn ? [id] : []), ...(labelsFirst ? [labelCell, textCell] : [textCell, labelCell])].join(delimiter);
      const lines = [
        ...(header ? [row(header[0], header[1], 'id')] : []),
        ...body.map(([textCell, labelCell], index) => row(textCell, labelCell, String(index + 1))),
      ];
      return (bom ? '\ufeff' : '') + lines.join(lineEnd) + (finalLineEnd ? lineEnd : '');
    }),
);
