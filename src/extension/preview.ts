// In-editor prediction preview: ghost text from the active text model, CSV forecast lenses and rows, and token hovers.
import * as vscode from 'vscode';
import type { EngineHost } from './engineHost';
import { isUsableTextRun, resolvePreviewRun } from './previewRun';
import type { RunsModel } from './runsModel';
import { previewSettings } from './settings';
import { isSeriesFile } from '../shared/options';
import type { ForecastResult } from '../shared/protocol';
import type { RunRecord, SeriesDataInfo, SeriesMetrics } from '../shared/runFolder';

/** Wait after the last keystroke before asking the model. */
const DEBOUNCE_MS = 120;
/** Characters before the cursor sent as the prompt (the model only uses its training sequence length of them). */
const PROMPT_CHARS = 512;
const ACTIVE_RUN_KEY = 'seqlab.previewRunId';
/**
 * How ghost text is sampled: the same for the same text before the cursor (a fixed seed), yet free of greedy decoding's loops
 * ("the the the"). Nucleus sampling at p = 0.2 takes the most likely token whenever the model gives it a fifth of the probability,
 * and draws among the few nearly as likely ones otherwise; the repetition penalty (2, on recent words) steers away from the words
 * just written. It ends where a new word starts once `seqlab.preview.length` tokens are written (within twice that many).
 */
const GHOST_SAMPLING = { temperature: 1, topK: 0, topP: 0.2, repetitionPenalty: 2, stop: 'word', seed: 1 } as const;

/** Which text run feeds the preview, remembered per workspace, with its status bar item. */
export class PreviewModel implements vscode.Disposable {
  private readonly statusItem = vscode.window.createStatusBarItem('seqlab.preview', vscode.StatusBarAlignment.Right, 100);
  private readonly disposables: vscode.Disposable[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the active text run changes: another is chosen or adopted, or it is deleted or trains again (see {@link activeRun}). */
  readonly onDidChange = this.changed.event;
  /** The active run last seen, "id dir" or "" for none, to fire {@link onDidChange} only on a change. */
  private shownRun = '';

  constructor(
    private readonly state: vscode.Memento,
    private readonly runs: RunsModel,
  ) {
    this.statusItem.name = vscode.l10n.t('SeqLab Preview Model');
    this.statusItem.command = 'seqlab.selectPreviewModel';
    this.disposables.push(
      runs.onDidChange(() => this.update()),
      vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('seqlab.preview') && this.update()),
    );
    this.update();
  }

  /** The active text run: the one chosen, or the one adopted when none was (see {@link resolvePreviewRun}). */
  activeRun(): { id: string; dir: string } | undefined {
    const { run } = resolvePreviewRun(this.runs.items(), this.state.get<string>(ACTIVE_RUN_KEY));
    const dir = run && this.runs.runDir(run.id);
    return run && dir ? { id: run.id, dir } : undefined;
  }

  async choose(runId: string): Promise<void> {
    await this.state.update(ACTIVE_RUN_KEY, runId);
    this.update();
  }

  /** Remembers the run adopted when none was chosen (so that newer runs do not take over), and shows the run in the status bar. */
  private update(): void {
    // Before the runs are read, the remembered run would look deleted and be forgotten.
    if (!this.runs.loaded) return;
    const items = this.runs.items();
    const remembered = this.state.get<string>(ACTIVE_RUN_KEY);
    const { run, remember } = resolvePreviewRun(items, remembered);
    if (remember !== remembered) void this.state.update(ACTIVE_RUN_KEY, remember);
    const active = run ? `${run.id} ${this.runs.runDir(run.id)}` : '';
    if (active !== this.shownRun) {
      this.shownRun = active;
      this.changed.fire();
    }
    const { enabled } = previewSettings();
    void vscode.commands.executeCommand('setContext', 'seqlab.hasTextRun', items.some(isUsableTextRun));
    const shown = run ?? items.find((r) => r.id === remember);
    if (!shown) {
      this.statusItem.hide();
      return;
    }
    const name = shown.name;
    this.statusItem.text = `${!run ? '$(watch)' : enabled ? '$(sparkle)' : '$(circle-slash)'} ${name}`;
    this.statusItem.tooltip = !run
      ? vscode.l10n.t('SeqLab preview model: {0}, which has no model to use now (it is training, failed or is damaged). Click to choose another.', name)
      : enabled
        ? vscode.l10n.t('SeqLab preview model: {0}. Click to choose another.', name)
        : vscode.l10n.t('SeqLab preview is off. Click to choose a model; toggle it with "SeqLab: Toggle Prediction Preview".');
    this.statusItem.show();
  }

  dispose(): void {
    this.statusItem.dispose();
    this.changed.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

/** Waits out the debounce; false when the request was cancelled meanwhile. */
async function debounced(token: vscode.CancellationToken): Promise<boolean> {
  await new Promise((resolve) => setTimeout(resolve, DEBOUNCE_MS));
  return !token.isCancellationRequested;
}

/** Whether the text preview serves a document: by seqlab.preview.languages, except CSV/TSV files, whose preview is the forecast. */
function appliesTo(document: vscode.TextDocument): boolean {
  const { enabled, languages } = previewSettings();
  return enabled && !isSeriesFile(document.fileName) && (languages.includes('*') || languages.includes(document.languageId));
}

/** Ghost text: the active text model continues the text at the cursor; Tab accepts. */
export class TextPreviewProvider implements vscode.InlineCompletionItemProvider {
  constructor(
    private readonly preview: PreviewModel,
    private readonly engine: EngineHost,
  ) {}

  async provideInlineCompletionItems(
    document: vscode.TextDocument,
    position: vscode.Position,
    _context: vscode.InlineCompletionContext,
    token: vscode.CancellationToken,
  ): Promise<vscode.InlineCompletionItem[]> {
    const run = this.preview.activeRun();
    if (!run || !appliesTo(document) || !(await debounced(token))) return [];
    const offset = document.offsetAt(position);
    const prompt = document.getText(new vscode.Range(document.positionAt(Math.max(0, offset - PROMPT_CHARS)), position));
    if (prompt.length === 0) return [];
    try {
      const { length } = previewSettings();
      const { text } = await this.engine.request('predict/generate', { runDir: run.dir, prompt, ...GHOST_SAMPLING, minLength: length, length: 2 * length });
      if (token.isCancellationRequested || text.length === 0) return [];
      return [new vscode.InlineCompletionItem(text, new vscode.Range(position, position))];
    } catch {
      return [];
    }
  }
}

/** Hover on a character of a text file: the model's probability for it given the text before, and the top alternatives. */
export class TokenHoverProvider implements vscode.HoverProvider {
  constructor(
    private readonly preview: PreviewModel,
    private readonly engine: EngineHost,
  ) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    const run = this.preview.activeRun();
    if (!run || !appliesTo(document)) return undefined;
    const offset = document.offsetAt(position);
    const target = document.getText(new vscode.Range(position, position.translate(0, 1)));
    const prompt = document.getText(new vscode.Range(document.positionAt(Math.max(0, offset - PROMPT_CHARS)), position));
    if (!target || !prompt) return undefined;
    try {
      const result = await this.engine.request('predict/next', { runDir: run.dir, prompt, topK: 5, target });
      if (token.isCancellationRequested) return undefined;
      const markdown = new vscode.MarkdownString();
      const shown = (t: string) => '`' + t.replace(/\n/g, '↵').replace(/ /g, '␣').replace(/`/g, "'") + '`';
      markdown.appendMarkdown(
        result.targetProb === null || result.targetProb === undefined
          ? vscode.l10n.t("SeqLab: {0} is not in the model's vocabulary.", shown(target))
          : vscode.l10n.t('SeqLab: P({0} | text before) = {1}%', shown(target), (result.targetProb * 100).toFixed(1)),
      );
      markdown.appendMarkdown('\n\n' + result.topK.map((t) => `${shown(t.token)} ${(t.prob * 100).toFixed(1)}%`).join(' · '));
      return new vscode.Hover(markdown, new vscode.Range(position, position.translate(0, 1)));
    } catch {
      return undefined;
    }
  }
}

/** The forecast of the newest series run trained on a CSV file. */
interface FileForecast extends ForecastResult {
  run: RunRecord;
}

/** CSV files with a series run: a CodeLens with the forecast's quality, and ghost rows at the end of the file. */
export class CsvForecastProvider implements vscode.CodeLensProvider, vscode.InlineCompletionItemProvider {
  /** The lenses change with the runs (a run trained, retrained or deleted). */
  readonly onDidChangeCodeLenses: vscode.Event<void>;

  constructor(
    private readonly runs: RunsModel,
    private readonly engine: EngineHost,
  ) {
    this.onDidChangeCodeLenses = runs.onDidChange;
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const run = this.runs.seriesRunsFor(document.uri.fsPath)[0];
    if (!run || run.summary?.task !== 'series') return [];
    const info = run.data as SeriesDataInfo;
    return [
      new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), { title: forecastLensTitle(run.summary, info), command: 'seqlab.forecast', arguments: [document.uri] }),
    ];
  }

  /** The forecast for a file, from its newest series run and the file's current rows. */
  async forecastFor(file: string): Promise<FileForecast | undefined> {
    const run = this.runs.seriesRunsFor(file)[0];
    const dir = run && this.runs.runDir(run.id);
    if (!run || !dir) return undefined;
    const result = await this.engine.request('predict/forecast', { runDir: dir, file });
    return { run, ...result };
  }

  /**
   * Ghost rows at the end of a CSV: on the empty last line, or at the end of a last row that has no line break after it
   * (then the rows start with one). The engine writes the rows in the file's own format.
   */
  async provideInlineCompletionItems(
    document: vscode.TextDocument,
    position: vscode.Position,
    _context: vscode.InlineCompletionContext,
    token: vscode.CancellationToken,
  ): Promise<vscode.InlineCompletionItem[]> {
    const lastLine = document.lineCount - 1;
    const lastIsEmpty = document.lineAt(lastLine).isEmptyOrWhitespace;
    const atEndOfLine = position.character === document.lineAt(position.line).text.length;
    const onEmptyLast = position.line === lastLine && lastIsEmpty;
    const afterLastRow = atEndOfLine && (lastIsEmpty ? position.line === lastLine - 1 : position.line === lastLine);
    if (!previewSettings().enabled || !(onEmptyLast || afterLastRow) || !(await debounced(token))) return [];
    try {
      const forecast = await this.forecastFor(document.uri.fsPath);
      if (!forecast || token.isCancellationRequested || forecast.rows.length === 0) return [];
      const eol = document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
      // No line break after the last row: VS Code does not show an inline suggestion that ends with one.
      const text = (onEmptyLast ? '' : eol) + forecast.rows.join(eol);
      return [new vscode.InlineCompletionItem(text, new vscode.Range(position, position))];
    } catch {
      return [];
    }
  }
}

type SeriesSummary = Extract<NonNullable<RunRecord['summary']>, { task: 'series' }>;

/**
 * The CSV lens: the model's MASE beside naive's, or beside ETS's when ETS is the best baseline (by MASE, or MAE without
 * one), and the half-width of the model's 80% interval in the target's units when the run has intervals.
 */
export function forecastLensTitle(summary: SeriesSummary, info: SeriesDataInfo): string {
  const { metrics, baselines } = summary;
  const mase = (value: number | null) => (value === null ? 'n/a' : value.toFixed(2));
  const named: [string, SeriesMetrics | null | undefined][] = [
    [vscode.l10n.t('naive'), baselines.naive],
    [vscode.l10n.t('seasonal naive'), baselines.seasonalNaive],
    ['ETS', baselines.ets],
  ];
  const candidates = named.filter((entry): entry is [string, SeriesMetrics] => Boolean(entry[1]));
  const [bestName, best] =
    candidates.find(([, m]) =>
      isBestBaseline(
        m,
        candidates.map(([, other]) => other),
      ),
    ) ?? candidates[0];
  const width80 = metrics.intervals?.['80']?.width;
  const band = width80 !== undefined && Number.isFinite(width80) ? vscode.l10n.t(', 80% ±{0}', formatUnits(width80 / 2)) : '';
  return vscode.l10n.t(
    '$(graph-line) Forecast next {0} of {1} (MASE {2} vs {3} {4}{5})',
    info.horizon,
    info.target,
    mase(metrics.mase),
    bestName,
    mase(best.mase),
    band,
  );
}

/** Whether a baseline beats (or ties) every other one: by MASE when all have one (they share the scale), else by MAE. */
function isBestBaseline(candidate: SeriesMetrics, others: SeriesMetrics[]): boolean {
  const byMase = candidate.mase !== null && others.every((other) => other.mase !== null);
  const score = (m: SeriesMetrics): number => (byMase ? (m.mase as number) : m.mae);
  return Number.isFinite(score(candidate)) && others.every((other) => !(score(other) < score(candidate)));
}

/** A value in the target’s units with two significant digits (4.2, 46, 0.013), or whole from 100 on (1234). */
function formatUnits(value: number): string {
  if (Math.abs(value) >= 100) return String(Math.round(value));
  return String(Number(value.toPrecision(2)));
}
