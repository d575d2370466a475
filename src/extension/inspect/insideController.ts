// The inside view: which document shows what (one unit's activations, or surprisal), read from the engine for what is visible, refreshed on scroll and edit, cleared when the document or the model changes.
import * as vscode from 'vscode';
import type { EngineHost } from '../engineHost';
import type { PreviewModel } from '../preview';
import { isUsableTextRun } from '../previewRun';
import type { RunsModel } from '../runsModel';
import { insideDecorationsEnabled } from '../settings';
import type { InspectState, PackedActivations, SurprisalResult, UnitSearchResult } from '../../shared/inspect';
import { activationBucket, activationScale, surprisalBucket } from './colorScale';
import { InsideDecorations, type InsideKind } from './insideDecorations';
import { activationsStatus, formatSigned, mostVariedUnit, readExtent, shownToken, surprisalStatus, topUnitsAt, unitSpreads } from './insideLabels';
import { pickFoundUnit, pickShownUnit, type UnitChoice } from './insidePicks';
import { InsideStatus } from './insideStatus';
import { canReuse, decoratedSpan, MAX_READ_CHARS, maxReadChars, planRead, rowsSpan, selectedSpan, unitSearchRead, type ReadPlan } from './readPlan';
import { bucketRanges, tokenAt, tokensIn, type ReadTokens, type Span } from './tokenRanges';
import { buildHeatmap } from './heatmap';
import type { InsideHeatmap } from '../../shared/protocol';

/** Wait after a scroll before colouring what came into view. */
const SCROLL_DEBOUNCE_MS = 100;
/** Wait after the last keystroke before reading the document again. */
const EDIT_DEBOUNCE_MS = 400;
/** Alternatives the surprisal hover lists: the likeliest (the preview's hover lists five, asked when shown). */
const SURPRISAL_ALTERNATIVES = 1;
/** Units the activations hover lists. */
const HOVER_UNITS = 5;
/** Messages kept for {@link InsideController.snapshot}. */
const KEPT_MESSAGES = 20;

/** What shows in which document. */
interface Showing {
  kind: InsideKind;
  document: vscode.TextDocument;
  run: { id: string; dir: string };
  layer?: number;
  state: InspectState;
  unit?: number;
  /** The selection to colour (document offsets), instead of what is in view. */
  span?: Span;
}

/** Where the colours go: what is in view (the default), the editor's selection when it has one, or the span shown now. */
export type ShowWhere = 'view' | 'selection' | 'keep';

/** What the engine returned for a document version, and which part of the document it covers. */
type Reading = {
  runDir: string;
  version: number;
  read: ReadPlan;
  /** The document span whose tokens have values (activations: the rows asked for; surprisal: all that was read). */
  held: Span;
} & ({ kind: 'activations'; result: PackedActivations } | { kind: 'surprisal'; result: SurprisalResult });

/** What is coloured now. */
interface Rendered {
  showing: Showing;
  reading: Reading;
  decorated: Span;
  ranges: Map<number, Span[]>;
  scale: number;
}

/** A unit search's result, and what it read, for the dashboard. */
export interface FoundUnits {
  result: UnitSearchResult;
  runId: string;
  runDir: string;
  /** The text selected. */
  selection: string;
  /** The text read, and the selection's span in it. */
  text: string;
  span: Span;
}

/** The inside view as tests read it: what is coloured, with each token's value, and what the user was told. */
export interface InsideSnapshot {
  kind: InsideKind | null;
  uri: string | null;
  runDir: string | null;
  layer: number | null;
  state: InspectState | null;
  unit: number | null;
  /** What the model read, and what is coloured (document offsets). */
  read: ReadPlan | null;
  decorated: Span | null;
  /** Each token in what is coloured: its document offsets, value (the unit's activation, or bits) and bucket. */
  tokens: { start: number; end: number; value: number | null; bucket: number }[];
  /** The ranges given to each bucket's decoration type. */
  ranges: Record<string, Span[]>;
  status: string | null;
  totalBits: number | null;
  bitsPerChar: number | null;
  /** The messages shown, oldest first. */
  messages: string[];
  /** From the last command to its colours set, in milliseconds. */
  lastCommandMs: number | null;
}

/** Owns the decorations, the status bar item and the state of the inside view. */
export class InsideController implements vscode.Disposable {
  private readonly decorations = new InsideDecorations();
  private readonly status = new InsideStatus();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly unitsFound = new vscode.EventEmitter<FoundUnits>();
  /** Fires when a unit search found units (the dashboard lists them). */
  readonly onDidFindUnits = this.unitsFound.event;
  /** The last unit search's result, which a dashboard opened later lists. */
  lastFound: FoundUnits | undefined;
  private showing: Showing | undefined;
  private reading: Reading | undefined;
  private rendered: Rendered | undefined;
  /** What to show again on "Toggle": the last kind and unit. */
  private last: { kind: InsideKind; choice: UnitChoice } = { kind: 'activations', choice: {} };
  /** The text editor used last: a command run from the dashboard colours it. */
  private lastEditor: vscode.TextEditor | undefined = documentEditor(vscode.window.activeTextEditor);
  private timer: NodeJS.Timeout | undefined;
  /** When the scheduled refresh runs (Date.now()). */
  private due = 0;
  private queued: Promise<void> | undefined;
  private running: Promise<void> = Promise.resolve();
  private readonly messages: string[] = [];
  private lastCommandMs: number | null = null;
  /** The value of the `seqlab.insideShowing` context key. */
  private contextKind: InsideKind | null = null;
  /** Documents already told that only part of them is read, by kind. */
  private readonly toldBounded = new Set<string>();

  constructor(
    private readonly engine: EngineHost,
    private readonly preview: PreviewModel,
    private readonly runs: RunsModel,
  ) {
    this.disposables.push(
      this.decorations,
      this.status,
      this.unitsFound,
      vscode.window.onDidChangeTextEditorVisibleRanges((e) => {
        if (this.showing && !this.showing.span && e.textEditor.document === this.showing.document) this.schedule(SCROLL_DEBOUNCE_MS);
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (this.showing && e.document === this.showing.document && e.contentChanges.length > 0) this.schedule(EDIT_DEBOUNCE_MS);
      }),
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        const next = documentEditor(editor);
        if (!next) return; // the dashboard, a panel: the editor shown keeps its colours
        this.lastEditor = next;
        if (this.showing && next.document !== this.showing.document) this.clear();
      }),
      vscode.window.onDidChangeVisibleTextEditors(() => {
        // An editor that shows the document again (a split, a tab brought back) gets the colours.
        if (this.showing) this.schedule(0);
      }),
      vscode.workspace.onDidCloseTextDocument((document) => {
        if (this.showing?.document === document) this.clear();
      }),
      preview.onDidChange(() => {
        const run = this.preview.activeRun();
        if (this.showing && (run?.id !== this.showing.run.id || run.dir !== this.showing.run.dir)) this.clear();
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('seqlab.inside.decorations') && !insideDecorationsEnabled()) this.clear();
      }),
    );
  }

  /**
   * "Show Activations" and "Show Surprisal": colours the text editor used last by `kind`, with the unit, layer and
   * state of `choice` (else those shown before, or the last layer's h and its most varied unit), in what is in view or
   * (`where`) its selection. Resolves once the colours are set, or the reason why not is shown.
   */
  async show(kind: InsideKind, choice: UnitChoice = {}, where: ShowWhere = 'view'): Promise<void> {
    const started = performance.now();
    const editor = this.targetEditor();
    const start = this.startShowing(kind, choice, editor, where);
    if (!start) return;
    this.last = { kind, choice: { layer: start.layer, state: start.state, unit: start.unit } };
    if (this.showing && this.showing.document !== start.document) this.clear();
    this.showing = start;
    this.status.busy();
    await this.refresh();
    if (this.showing === start && this.rendered?.showing === start) this.lastCommandMs = performance.now() - started;
  }

  /** "Toggle Inside Colours": off when they show, else the last kind shown (activations at first) on the editor used last. */
  async toggle(): Promise<void> {
    if (this.showing) {
      this.clear();
      return;
    }
    await this.show(this.last.kind, this.last.choice);
  }

  /** The status bar's switcher: another layer, state or unit of the activations shown. */
  async chooseUnit(): Promise<void> {
    const rendered = this.rendered;
    if (!rendered || rendered.reading.kind !== 'activations') {
      void this.tell('info', vscode.l10n.t('SeqLab: run "Show Activations" first, then switch the unit here.'));
      return;
    }
    const result = rendered.reading.result;
    const rows = this.heldRows(rendered.reading, rendered.decorated);
    const choice = await pickShownUnit({
      cell: result.cell,
      layers: result.layers,
      layer: result.layer,
      state: result.state,
      unit: rendered.showing.unit ?? 0,
      spreads: unitSpreads(result.values, result.units, rows.from, rows.to),
    });
    if (choice) await this.show('activations', { layer: result.layer, state: result.state, unit: rendered.showing.unit, ...choice }, 'keep');
  }

  /**
   * "Find Units for Selection": ranks the units of the layer shown (else the last, h) by how well they pick out the
   * selection, lists them in a quick pick when `pick`, and colours the editor by the unit chosen. Resolves with the result.
   */
  async findUnits(pick = true): Promise<UnitSearchResult | undefined> {
    const editor = this.targetEditor();
    if (!editor) return void this.tell('info', vscode.l10n.t('SeqLab: open a text file and select a span of it first.'));
    const document = editor.document;
    const selection = editor.selection;
    if (selection.isEmpty) {
      return void this.tell(
        'info',
        vscode.l10n.t('SeqLab: select the text to find units for first (a word, a quotation, a line), then run "Find Units for Selection".'),
      );
    }
    const run = this.usableRun('Find Units for Selection', document);
    if (!run) return undefined;
    const span = { start: document.offsetAt(selection.start), end: document.offsetAt(selection.end) };
    const plan = unitSearchRead(span, document.offsetAt(lastPosition(document)));
    if (typeof plan === 'string') return void this.tell('warning', `SeqLab: ${plan}`);
    const text = document.getText(rangeOf(document, plan));
    const shown = this.showing?.kind === 'activations' && this.showing.document === document ? this.showing : undefined;
    try {
      const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('SeqLab: finding units…') }, () =>
        this.engine.request('inspect/units', {
          runDir: run.dir,
          text,
          span: { start: span.start - plan.start, end: span.end - plan.start },
          layer: shown?.layer,
          state: shown?.state,
          top: 10,
        }),
      );
      const relative = { start: span.start - plan.start, end: span.end - plan.start };
      this.lastFound = { result, runId: run.id, runDir: run.dir, selection: document.getText(rangeOf(document, span)), text, span: relative };
      this.unitsFound.fire(this.lastFound);
      if (!pick) return result;
      const unit = await pickFoundUnit(result);
      if (unit !== undefined) await this.show('activations', { layer: result.layer, state: result.state, unit });
      return result;
    } catch (error) {
      void this.tell('error', oneLine(error));
      return undefined;
    }
  }

  /** The dashboard's heatmap of a unit search: the top units by separation over the selection's tokens. */
  async heatmap(found: FoundUnits): Promise<InsideHeatmap> {
    const { result } = found;
    const activations = await this.engine.request('inspect/activations', {
      runDir: found.runDir,
      text: found.text,
      layer: result.layer,
      state: result.state,
      rows: found.span,
    });
    return buildHeatmap(
      activations,
      found.span,
      result.bySeparation.map((s) => s.unit),
    );
  }

  /** The hover over a coloured character: the units most active there, or its surprisal and the likeliest alternatives. */
  hoverAt(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const rendered = this.rendered;
    if (!rendered || rendered.showing !== this.showing || rendered.showing.document !== document || rendered.reading.version !== document.version)
      return undefined;
    const { reading } = rendered;
    const offset = document.offsetAt(position);
    if (offset < rendered.decorated.start || offset >= rendered.decorated.end) return undefined;
    const read = readTokens(reading);
    const index = tokenAt(read, offset);
    if (index === undefined) return undefined;
    const token = reading.result.tokens[index];
    const start = read.base + read.offsets[index];
    const range = new vscode.Range(document.positionAt(start), document.positionAt(start + token.length));
    const markdown = new vscode.MarkdownString();
    if (reading.kind === 'activations') {
      const result = reading.result;
      const row = index - result.valuesFrom;
      if (row < 0 || row * result.units >= result.values.length) return undefined;
      const unit = rendered.showing.unit ?? 0;
      const value = result.values[row * result.units + unit];
      markdown.isTrusted = { enabledCommands: ['seqlab.showActivations'] };
      markdown.appendMarkdown(
        vscode.l10n.t('SeqLab unit {0} ({1}) after {2}: **{3}**', unit, `${result.cell.toUpperCase()} ${result.state}`, shownToken(token), formatSigned(value)),
      );
      const top = topUnitsAt(result.values, result.units, row, HOVER_UNITS);
      const links = top.map((u) => {
        const args = encodeURIComponent(JSON.stringify([{ layer: result.layer, state: result.state, unit: u.unit }]));
        return `[u${u.unit}](command:seqlab.showActivations?${args} "${vscode.l10n.t('Colour the text by unit {0}', u.unit)}") ${formatSigned(u.value)}`;
      });
      markdown.appendMarkdown('\n\n' + vscode.l10n.t('Most active here: {0}', links.join(' · ')));
    } else {
      const result = reading.result;
      const bits = result.bits[index];
      const prob = result.probs[index];
      if (bits === null || prob === null) {
        markdown.appendMarkdown(
          vscode.l10n.t('SeqLab: {0} is not scored (the first token, or after the last whole window, as eval reads the text).', shownToken(token)),
        );
      } else {
        markdown.appendMarkdown(vscode.l10n.t('SeqLab surprisal of {0}: **{1} bits** (p = {2}%)', shownToken(token), bits.toFixed(2), (prob * 100).toFixed(2)));
        const top = result.top[index].map((t) => `${shownToken(t.token)} ${(t.prob * 100).toFixed(1)}%`).join(' · ');
        if (top) markdown.appendMarkdown(' · ' + vscode.l10n.t('likeliest there: {0}', top));
      }
    }
    return new vscode.Hover(markdown, range);
  }

  /** Removes the colours and the status bar item; nothing shows until a command asks again. */
  clear(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const document = this.showing?.document;
    this.showing = undefined;
    this.reading = undefined;
    this.rendered = undefined;
    this.status.hide();
    this.setShowingContext(null);
    if (document) this.decorations.clear(editorsOf(document));
  }

  /** The `seqlab.insideShowing` context key ("activations", "surprisal" or none), which shows the unit switcher in the palette. */
  private setShowingContext(kind: InsideKind | null): void {
    if (kind === this.contextKind) return;
    this.contextKind = kind;
    void vscode.commands.executeCommand('setContext', 'seqlab.insideShowing', kind ?? '');
  }

  /** What is coloured now, for tests. */
  snapshot(): InsideSnapshot {
    const rendered = this.showing && this.rendered?.showing === this.showing ? this.rendered : undefined;
    const tokens: InsideSnapshot['tokens'] = [];
    if (rendered) {
      const read = readTokens(rendered.reading);
      for (const placed of tokensIn(read, rendered.decorated)) {
        const value = this.valueOf(rendered, placed.index);
        tokens.push({ start: placed.start, end: placed.end, value, bucket: this.bucketOf(rendered, value) });
      }
    }
    const activations = rendered?.reading.kind === 'activations' ? rendered.reading.result : undefined;
    const surprisal = rendered?.reading.kind === 'surprisal' ? rendered.reading.result : undefined;
    return {
      kind: rendered?.showing.kind ?? null,
      uri: rendered?.showing.document.uri.toString() ?? null,
      runDir: rendered?.reading.runDir ?? null,
      layer: activations?.layer ?? null,
      state: activations?.state ?? null,
      unit: activations ? (rendered?.showing.unit ?? null) : null,
      read: rendered?.reading.read ?? null,
      decorated: rendered?.decorated ?? null,
      tokens,
      ranges: Object.fromEntries([...(rendered?.ranges ?? new Map<number, Span[]>())].map(([bucket, spans]) => [String(bucket), spans])),
      status: this.status.text,
      totalBits: surprisal?.totalBits ?? null,
      bitsPerChar: surprisal?.bitsPerChar ?? null,
      messages: [...this.messages],
      lastCommandMs: this.lastCommandMs,
    };
  }

  /** The editor a command colours: the active text editor, else (the dashboard has the focus) the one used last, if still shown. */
  private targetEditor(): vscode.TextEditor | undefined {
    const active = documentEditor(vscode.window.activeTextEditor);
    if (active) return active;
    const last = this.lastEditor;
    return last && !last.document.isClosed && vscode.window.visibleTextEditors.includes(last) ? last : undefined;
  }

  /** What to show, or undefined when it cannot be (and the user was told why). */
  private startShowing(kind: InsideKind, choice: UnitChoice, editor: vscode.TextEditor | undefined, where: ShowWhere): Showing | undefined {
    const command = kind === 'activations' ? 'Show Activations' : 'Show Surprisal';
    if (!insideDecorationsEnabled()) {
      const turnOn = vscode.l10n.t('Turn Them On');
      void this.tell('info', vscode.l10n.t('SeqLab: the inside colours are off (the setting seqlab.inside.decorations).'), turnOn).then(async (answer) => {
        if (answer !== turnOn) return;
        await vscode.workspace.getConfiguration('seqlab.inside').update('decorations', true, vscode.ConfigurationTarget.Global);
        await this.show(kind, choice, where);
      });
      return undefined;
    }
    if (!editor) return void this.tell('info', vscode.l10n.t('SeqLab: open a text file first; {0} colours its characters.', command));
    if (editor.document.offsetAt(lastPosition(editor.document)) === 0) {
      this.clear();
      return void this.tell('info', vscode.l10n.t('SeqLab: the document is empty: there is nothing to colour.'));
    }
    const run = this.usableRun(command, editor.document);
    if (!run) return undefined;
    // The unit, layer and state shown before carry over while the run and the kind stay the same.
    const before = this.showing?.kind === kind && this.showing.run.dir === run.dir ? this.showing : undefined;
    const layer = choice.layer ?? before?.layer;
    const sameLayer = layer === before?.layer;
    const state = choice.state ?? (sameLayer ? before?.state : undefined) ?? 'h';
    const document = editor.document;
    const selected = !editor.selection.isEmpty ? { start: document.offsetAt(editor.selection.start), end: document.offsetAt(editor.selection.end) } : undefined;
    const kept = this.showing?.document === document ? this.showing.span : undefined;
    return {
      kind,
      document,
      run,
      layer,
      state,
      unit: choice.unit ?? (sameLayer && state === before?.state ? before?.unit : undefined),
      span: where === 'selection' ? selected : where === 'keep' ? kept : undefined,
    };
  }

  /** The preview's text run, or undefined after telling the user how to get one. */
  private usableRun(command: string, document: vscode.TextDocument): { id: string; dir: string } | undefined {
    const run = this.preview.activeRun();
    if (run) return run;
    const usable = this.runs.items().filter(isUsableTextRun);
    if (usable.length > 0) {
      const select = vscode.l10n.t('Select Model for Preview');
      void this.tell(
        'info',
        vscode.l10n.t(
          "SeqLab: {0} uses the preview's text model, which has no checkpoint to use now (it is training): wait for it, or choose another.",
          command,
        ),
        select,
      ).then((answer) => answer === select && vscode.commands.executeCommand('seqlab.selectPreviewModel'));
      return undefined;
    }
    const train = vscode.l10n.t('Train RNN on This File');
    const buttons = document.uri.scheme === 'file' ? [train] : [];
    void this.tell('info', vscode.l10n.t('SeqLab: {0} needs a text model: train one first (on this file, or on a selection).', command), ...buttons).then(
      (answer) => answer === train && vscode.commands.executeCommand('seqlab.trainFile', document.uri),
    );
    return undefined;
  }

  /** Refreshes soon, coalescing bursts of scrolls and keystrokes; a scroll while typing does not cut the edit's wait short. */
  private schedule(ms: number): void {
    const due = Date.now() + ms;
    if (this.timer && this.due > due) return;
    clearTimeout(this.timer);
    this.due = due;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.refresh();
    }, ms);
  }

  /** Colours what is visible now, reading from the engine when what was read does not cover it; one at a time, a burst run once. */
  private refresh(): Promise<void> {
    if (this.queued) return this.queued;
    const next = this.running.then(() => {
      this.queued = undefined;
      return this.refreshNow();
    });
    this.queued = next;
    this.running = next;
    return next;
  }

  private async refreshNow(): Promise<void> {
    const showing = this.showing;
    if (!showing) return;
    const editors = editorsOf(showing.document);
    if (editors.length === 0) return; // colours again when an editor shows the document
    const document = showing.document;
    const length = document.offsetAt(lastPosition(document));
    if (length === 0) {
      this.clear();
      return void this.tell('info', vscode.l10n.t('SeqLab: the document is empty: there is nothing to colour.'));
    }
    const visible = editors[0].visibleRanges.map((range) => ({ start: document.offsetAt(range.start), end: document.offsetAt(range.end) }));
    const decorated = showing.span ? selectedSpan(showing.span, length) : decoratedSpan(visible, length);
    const hidden = this.runs.record(showing.run.id)?.config.hidden ?? 0;
    const plan = planRead(
      showing.kind === 'activations' ? 'prefix' : 'whole',
      decorated,
      length,
      showing.kind === 'activations' ? maxReadChars(hidden) : MAX_READ_CHARS,
    );
    let reading = this.reading;
    const fits = reading && sameReading(reading, showing, document.version) && canReuse(reading.read, reading.held, decorated, plan);
    if (!reading || !fits) {
      this.status.busy();
      try {
        reading = await this.read(showing, plan, decorated);
      } catch (error) {
        if (this.showing !== showing) return;
        this.clear();
        return void this.tell('error', oneLine(error));
      }
      // Cleared, or another unit or kind asked for meanwhile: that one colours. Edited meanwhile: the edit's refresh does.
      if (this.showing !== showing || reading.version !== document.version) return;
      this.reading = reading;
      if (plan.bounded) this.tellBounded(showing, plan, length);
    }
    this.render(showing, reading, decorated, editors);
  }

  /** Asks the engine for what `plan` reads. */
  private async read(showing: Showing, plan: ReadPlan, decorated: Span): Promise<Reading> {
    const { document } = showing;
    const version = document.version;
    const text = document.getText(rangeOf(document, plan));
    const base = { runDir: showing.run.dir, version, read: plan };
    if (showing.kind === 'activations') {
      const rows = rowsSpan(plan, decorated);
      const result = await this.engine.request('inspect/activations', {
        runDir: showing.run.dir,
        text,
        layer: showing.layer,
        state: showing.state,
        rows: { start: rows.start - plan.start, end: rows.end - plan.start },
      });
      return { ...base, held: rows, kind: 'activations', result };
    }
    const result = await this.engine.request('inspect/surprisal', { runDir: showing.run.dir, text, top: SURPRISAL_ALTERNATIVES });
    return { ...base, held: plan, kind: 'surprisal', result };
  }

  /** Sets the colours of what is coloured now, and the status bar. */
  private render(showing: Showing, reading: Reading, decorated: Span, editors: readonly vscode.TextEditor[]): void {
    let scale = 1;
    if (reading.kind === 'activations') {
      const result = reading.result;
      showing.layer = result.layer;
      showing.state = result.state;
      const rows = this.heldRows(reading, decorated);
      if (showing.unit === undefined || showing.unit >= result.units) showing.unit = mostVariedUnit(result.values, result.units, rows.from, rows.to);
      scale = activationScale(result.state, result.values, result.units, showing.unit);
      this.last = { kind: 'activations', choice: { layer: result.layer, state: result.state, unit: showing.unit } };
    } else {
      this.last = { kind: 'surprisal', choice: {} };
    }
    const rendered: Rendered = { showing, reading, decorated, ranges: new Map(), scale };
    const read = readTokens(reading);
    rendered.ranges = bucketRanges(tokensIn(read, decorated), reading.result.tokens, (index) => this.bucketOf(rendered, this.valueOf(rendered, index)));
    this.decorations.apply(editors, showing.kind, rendered.ranges);
    this.rendered = rendered;
    this.setShowingContext(showing.kind);
    const name = this.runs.items().find((r) => r.id === showing.run.id)?.name ?? showing.run.id;
    const note = reading.read.bounded
      ? vscode.l10n.t(
          'The document is too long to read whole: read from character {0}, with the state starting from zero there.',
          reading.read.start.toLocaleString('en-US'),
        )
      : undefined;
    if (reading.kind === 'activations') {
      const r = reading.result;
      this.status.showActivations(activationsStatus(showing.unit ?? 0, r.cell, r.state, r.layer, r.layers), name, scale, note);
    } else {
      const length = showing.document.offsetAt(lastPosition(showing.document));
      this.status.showSurprisal(
        surprisalStatus(reading.result) + readExtent(reading.read, length),
        name,
        [note, ...reading.result.notes].filter(Boolean).join(' '),
      );
    }
  }

  /** The value behind a token's colour: the unit's activation (null without a row), or its bits. */
  private valueOf(rendered: Rendered, index: number): number | null {
    const { reading } = rendered;
    if (reading.kind === 'surprisal') return reading.result.bits[index];
    const { values, units, valuesFrom } = reading.result;
    const row = index - valuesFrom;
    if (row < 0 || row * units >= values.length) return null;
    return values[row * units + (rendered.showing.unit ?? 0)];
  }

  private bucketOf(rendered: Rendered, value: number | null): number {
    if (rendered.reading.kind === 'surprisal') return surprisalBucket(value);
    return value === null ? 0 : activationBucket(value, rendered.scale);
  }

  /** The rows of values [from, to) of the tokens in `span`. */
  private heldRows(reading: Extract<Reading, { kind: 'activations' }>, span: Span): { from: number; to: number } {
    const placed = tokensIn(readTokens(reading), span);
    const { valuesFrom, values, units } = reading.result;
    const rows = values.length / units;
    if (placed.length === 0) return { from: 0, to: rows };
    const from = Math.max(0, placed[0].index - valuesFrom);
    const to = Math.min(rows, placed[placed.length - 1].index - valuesFrom + 1);
    return from < to ? { from, to } : { from: 0, to: rows };
  }

  /** Says once per document and kind that only part of it is read. */
  private tellBounded(showing: Showing, plan: ReadPlan, length: number): void {
    const key = `${showing.kind} ${showing.document.uri.toString()}`;
    if (this.toldBounded.has(key)) return;
    this.toldBounded.add(key);
    void this.tell(
      'info',
      vscode.l10n.t(
        'SeqLab: this document has {0} characters, more than the model reads at once: only what is in view is coloured, read from {1} characters before it.',
        length.toLocaleString('en-US'),
        (plan.end - plan.start).toLocaleString('en-US'),
      ),
    );
  }

  /** Shows a message (never awaited by the caller's flow) and keeps it for the snapshot. */
  private tell(level: 'info' | 'warning' | 'error', message: string, ...buttons: string[]): Thenable<string | undefined> {
    this.messages.push(message);
    if (this.messages.length > KEPT_MESSAGES) this.messages.shift();
    const show =
      level === 'error' ? vscode.window.showErrorMessage : level === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    return show(message, ...buttons);
  }

  dispose(): void {
    this.clear();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

/** Whether a reading was made for what shows now: the same run, document version, kind, layer and state. */
function sameReading(reading: Reading, showing: Showing, version: number): boolean {
  if (reading.runDir !== showing.run.dir || reading.version !== version || reading.kind !== showing.kind) return false;
  if (reading.kind !== 'activations') return true;
  return (showing.layer === undefined || reading.result.layer === showing.layer) && reading.result.state === showing.state;
}

function readTokens(reading: Reading): ReadTokens {
  return { tokens: reading.result.tokens, offsets: reading.result.offsets, base: reading.read.start };
}

/** The editor, unless it is an output channel's: those show as text editors too. */
function documentEditor(editor: vscode.TextEditor | undefined): vscode.TextEditor | undefined {
  return editor?.document.uri.scheme === 'output' ? undefined : editor;
}

function editorsOf(document: vscode.TextDocument): vscode.TextEditor[] {
  return vscode.window.visibleTextEditors.filter((editor) => editor.document === document);
}

function lastPosition(document: vscode.TextDocument): vscode.Position {
  return document.lineAt(document.lineCount - 1).range.end;
}

function rangeOf(document: vscode.TextDocument, span: Span): vscode.Range {
  return new vscode.Range(document.positionAt(span.start), document.positionAt(span.end));
}

/** An error's message as one line, for a notification. */
function oneLine(error: unknown): string {
  const message = (error instanceof Error ? error.message : String(error)).split('\n')[0].trim();
  return message.startsWith('SeqLab') ? message : `SeqLab: ${message}`;
}
