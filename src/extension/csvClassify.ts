// CSV/TSV files with a classifier trained on them: a CodeLens with its quality against naive Bayes, and a hover on a row with the predicted label.
import * as vscode from 'vscode';
import { classifyLensTitle, classifyText, percent, topLabels, unknownNote, type TextClasses } from './classifyText';
import { columnIndex, csvLayout, firstRecord, recordAt, recordCells, type CsvLayout, type RecordSpan } from './csvCells';
import type { EngineHost } from './engineHost';
import type { RunsModel } from './runsModel';
import { previewSettings } from './settings';
import type { ClassifyDataInfo, RunRecord } from '../shared/runFolder';

/** A data row of the file: its lines, the text the classifier reads and the label written in the file (if its column is found). */
interface LabelledRow {
  span: RecordSpan;
  text: string;
  label: string | undefined;
}

/** The lens and the row hover of the newest classifier trained on a file. */
export class CsvClassifyProvider implements vscode.CodeLensProvider, vscode.HoverProvider {
  /** The lenses change with the runs (a run trained, retrained or deleted). */
  readonly onDidChangeCodeLenses: vscode.Event<void>;
  /** The layout of the document hovered last, at its version then: a file is cut into records once per edit. */
  private cached: { uri: string; version: number; layout: CsvLayout } | undefined;

  constructor(
    private readonly runs: RunsModel,
    private readonly engine: EngineHost,
  ) {
    this.onDidChangeCodeLenses = runs.onDidChange;
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const run = this.runs.classifyRunsFor(document.uri.fsPath)[0];
    if (!run || run.summary?.task !== 'classify') return [];
    return [new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), { title: classifyLensTitle(run.summary), command: 'seqlab.openDashboard', arguments: [run.id] })];
  }

  /** On a data row: the label the classifier predicts for its text cell, with the runners-up and the label in the file. */
  async provideHover(document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    if (!previewSettings().enabled) return undefined;
    const run = this.runs.classifyRunsFor(document.uri.fsPath)[0];
    const dir = run && this.runs.runDir(run.id);
    if (!run || !dir || run.data.kind !== 'classify') return undefined;
    const row = this.rowAt(document, position.line, run.data);
    if (!row) return undefined;
    try {
      const { labels, unknownTokens } = await classifyText(this.engine, dir, row.text);
      const top = labels[0];
      if (token.isCancellationRequested || !top) return undefined;
      return new vscode.Hover(hoverText(run, row, labels, unknownTokens), rowRange(document, row.span));
    } catch {
      return undefined;
    }
  }

  /** The data row on a line, with its text cell; undefined on the header, a blank row, or a row whose text cell is empty. */
  private rowAt(document: vscode.TextDocument, line: number, data: ClassifyDataInfo): LabelledRow | undefined {
    const layout = this.layout(document);
    const span = recordAt(layout, line);
    if (!span) return undefined;
    const header = data.header ? firstRecord(layout) : undefined;
    if (header && header.first === span.first) return undefined;
    const names = header ? recordCells(layout, header) : null;
    const cells = recordCells(layout, span);
    const textIndex = columnIndex(data.textColumn, names);
    const labelIndex = columnIndex(data.labelColumn, names);
    const text = textIndex === undefined ? undefined : cells[textIndex];
    if (!text) return undefined;
    return { span, text, label: labelIndex === undefined ? undefined : cells[labelIndex] || undefined };
  }

  private layout(document: vscode.TextDocument): CsvLayout {
    const uri = document.uri.toString();
    if (this.cached?.uri !== uri || this.cached.version !== document.version) {
      this.cached = { uri, version: document.version, layout: csvLayout(document.getText(), document.fileName) };
    }
    return this.cached.layout;
  }
}

/** The lines of a record, from the start of its first to the end of its last. */
export function rowRange(document: vscode.TextDocument, span: RecordSpan): vscode.Range {
  const last = Math.min(span.last, document.lineCount - 1);
  return new vscode.Range(span.first, 0, last, document.lineAt(last).text.length);
}

/** Markdown text of user data: every character Markdown (or a `$(icon)`) could read as syntax escaped, line breaks as spaces. */
function escaped(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/[\\`*_{}[\]()#+\-.!|<>~$]/g, (char) => `\\${char}`);
}

/** The hover: the predicted label and its probability, the runners-up, and whether the label in the file agrees. */
function hoverText(run: RunRecord, row: LabelledRow, labels: TextClasses['labels'], unknownTokens: number): vscode.MarkdownString {
  const [top, ...others] = labels;
  const markdown = new vscode.MarkdownString(undefined, true);
  markdown.appendMarkdown(vscode.l10n.t('SeqLab classifier {0}: **{1}** {2}', escaped(run.name ?? run.id), escaped(top.label), percent(top.prob)));
  if (others.length) markdown.appendMarkdown(` · ${escaped(topLabels(others, 2))}`);
  markdown.appendMarkdown(escaped(unknownNote(unknownTokens)));
  if (row.label !== undefined) {
    markdown.appendMarkdown('\n\n');
    markdown.appendMarkdown(
      row.label === top.label
        ? vscode.l10n.t('$(check) The file labels this row {0} too.', escaped(row.label))
        : vscode.l10n.t('$(close) The file labels this row {0}.', escaped(row.label)),
    );
  }
  return markdown;
}
