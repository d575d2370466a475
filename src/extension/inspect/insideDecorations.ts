// The inside view's editor decorations: one decoration type per colour bucket, made once, set on every editor that shows the document, and cleared.
import * as vscode from 'vscode';
import { activationColor, coloredBuckets, surprisalColor } from './colorScale';
import type { Span } from './tokenRanges';

export type InsideKind = 'activations' | 'surprisal';

/** A fixed set of decoration types (8 for activations, 5 for surprisal), so that any value maps to one of them. */
export class InsideDecorations implements vscode.Disposable {
  private readonly types = new Map<string, vscode.TextEditorDecorationType>();

  constructor() {
    for (const kind of ['activations', 'surprisal'] as const) {
      for (const bucket of coloredBuckets(kind)) {
        const color = kind === 'activations' ? activationColor(bucket) : surprisalColor(bucket);
        this.types.set(
          key(kind, bucket),
          vscode.window.createTextEditorDecorationType({
            light: { backgroundColor: color.light },
            dark: { backgroundColor: color.dark },
            // Text typed at either end of a coloured range is not coloured: its value is not known yet.
            rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
          }),
        );
      }
    }
  }

  /** Sets the ranges of every bucket of `kind` (document offsets) on the editors, and clears the other kind. */
  apply(editors: readonly vscode.TextEditor[], kind: InsideKind, ranges: ReadonlyMap<number, readonly Span[]>): void {
    for (const editor of editors) {
      const document = editor.document;
      for (const other of ['activations', 'surprisal'] as const) {
        for (const bucket of coloredBuckets(other)) {
          const spans = other === kind ? (ranges.get(bucket) ?? []) : [];
          const decorationType = this.types.get(key(other, bucket)) as vscode.TextEditorDecorationType;
          editor.setDecorations(
            decorationType,
            spans.map((span) => new vscode.Range(document.positionAt(span.start), document.positionAt(span.end))),
          );
        }
      }
    }
  }

  /** Removes every inside colour from the editors. */
  clear(editors: readonly vscode.TextEditor[]): void {
    for (const editor of editors) for (const decorationType of this.types.values()) editor.setDecorations(decorationType, []);
  }

  dispose(): void {
    for (const decorationType of this.types.values()) decorationType.dispose();
    this.types.clear();
  }
}

function key(kind: InsideKind, bucket: number): string {
  return `${kind}:${bucket}`;
}
