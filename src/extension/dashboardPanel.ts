// The dashboard: one webview panel that charts runs live, answers predictions, opens the data rows it lists and shows the units a search found; restored after a window reload.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { classifyText } from './classifyText';
import { csvLayout, recordAt } from './csvCells';
import { rowRange } from './csvClassify';
import { webviewToHostSchema, type HostToWebview, type WebviewToHost } from '../shared/protocol';
import type { EngineHost } from './engineHost';
import { GENERATE_DEFAULTS } from '../shared/options';
import type { Log } from './log';
import type { MetricsTail } from './runFiles';
import type { RunsModel } from './runsModel';
import type { TrainingService } from './training';
import { dashboardHtml } from './dashboardHtml';
import type { FoundUnits, InsideController } from './inspect/insideController';

/** What the dashboard needs from the rest of the extension. */
export interface DashboardServices {
  extensionUri: vscode.Uri;
  runs: RunsModel;
  training: TrainingService;
  engine: EngineHost;
  log: Log;
  inside: InsideController;
}

/** The dashboard panel; at most one exists. */
export class DashboardPanel implements vscode.Disposable {
  static readonly viewType = 'seqlab.dashboard';
  private static current: DashboardPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private selectedRunId: string | null = null;
  /** The metrics of each charted run, followed so that updates send only what is new. */
  private readonly tails = new Map<string, MetricsTail>();
  /** Where Insert at cursor puts generated text: the text editor active last, since the dashboard takes the focus. */
  private lastEditor = documentEditor(vscode.window.activeTextEditor);
  /** The last unit search's result, sent again when the page reloads. */
  private foundUnits: Extract<HostToWebview, { type: 'inside/units' }> | undefined;

  /** Shows the dashboard (creating it if needed), optionally on a run. */
  static show(services: DashboardServices, runId?: string): DashboardPanel {
    if (DashboardPanel.current) {
      DashboardPanel.current.panel.reveal();
    } else {
      const panel = vscode.window.createWebviewPanel(
        DashboardPanel.viewType,
        vscode.l10n.t('SeqLab Dashboard'),
        vscode.ViewColumn.Active,
        DashboardPanel.options(services.extensionUri),
      );
      DashboardPanel.current = new DashboardPanel(panel, services);
    }
    if (runId) DashboardPanel.current.select(runId);
    return DashboardPanel.current;
  }

  /** Restores the panel after a window reload. */
  static revive(panel: vscode.WebviewPanel, services: DashboardServices): void {
    panel.webview.options = DashboardPanel.options(services.extensionUri);
    DashboardPanel.current = new DashboardPanel(panel, services);
  }

  /** Scripts on; only the bundle's folder and media/ can be loaded. */
  private static options(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    return {
      enableScripts: true,
      retainContextWhenHidden: false,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')],
    };
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly services: DashboardServices,
  ) {
    panel.iconPath = vscode.Uri.joinPath(services.extensionUri, 'media', 'seqlab.svg');
    panel.webview.html = this.html();
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      vscode.window.onDidChangeActiveTextEditor((editor) => (this.lastEditor = documentEditor(editor) ?? this.lastEditor)),
      panel.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
      services.runs.onDidChange(() => this.sendState()),
      services.training.onProgress((progress) => {
        this.post({ type: 'run/progress', progress });
        void this.tails.get(progress.runId)?.poll();
      }),
      services.inside.onDidFindUnits((found) => void this.showFoundUnits(found, true)),
    );
    // A search made before the dashboard opened: its run is selected, unless the dashboard was opened on a run.
    if (services.inside.lastFound) void this.showFoundUnits(services.inside.lastFound, false);
  }

  /** The page, with a fresh nonce; resources only from the extension's own folders. */
  private html(): string {
    const webview = this.panel.webview;
    const asset = (...parts: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(this.services.extensionUri, ...parts)).toString();
    return dashboardHtml({
      cspSource: webview.cspSource,
      nonce: crypto.randomBytes(16).toString('base64'),
      scriptUri: asset('dist', 'webview', 'dashboard.js'),
      styleUris: [asset('dist', 'webview', 'uPlot.min.css'), asset('media', 'dashboard.css')],
    });
  }

  private post(message: HostToWebview): void {
    void this.panel.webview.postMessage(message);
  }

  /** Selects a run in the dashboard. */
  select(runId: string): void {
    this.selectedRunId = runId;
    this.sendState();
    this.sendRun(runId);
  }

  /** Sends the runs, once read: an empty list before then would make the page drop its remembered selection. */
  private sendState(): void {
    if (!this.services.runs.loaded) return;
    this.post({ type: 'dashboard/state', runs: this.services.runs.items(), selectedRunId: this.selectedRunId });
  }

  /** Sends a run's metrics (thinned, then what training appends) and its forecast, read without blocking the host. */
  private sendRun(runId: string): void {
    this.tails.get(runId)?.close();
    const tail = this.services.runs.metricsTail(runId, (lines, reset) => this.post({ type: 'run/metrics', runId, lines, reset }));
    if (!tail) {
      this.tails.delete(runId);
      return;
    }
    this.tails.set(runId, tail);
    void tail.load();
    void this.services.runs.forecastChart(runId).then((chart) => {
      if (chart && this.tails.get(runId) === tail) this.post({ type: 'run/forecast', runId, chart });
    });
  }

  /** The units a search found, with the heatmap of the top ones on the selection; their run is selected (when `always` is false, only if none is). */
  private async showFoundUnits(found: FoundUnits, always: boolean): Promise<void> {
    const heatmap = await this.services.inside.heatmap(found).catch((error: Error) => {
      this.services.log.error(`The dashboard's heatmap of the units found could not be read: ${error.message}`);
      return null;
    });
    this.foundUnits = { type: 'inside/units', runId: found.runId, selection: found.selection, result: found.result, heatmap };
    if (always || this.selectedRunId === null) this.select(found.runId);
    this.post(this.foundUnits);
  }

  private closeTails(): void {
    for (const tail of this.tails.values()) tail.close();
    this.tails.clear();
  }

  /** Every message from the webview is checked against its schema, and run ids against the runs folder. */
  private async receive(raw: unknown): Promise<void> {
    const parsed = webviewToHostSchema.safeParse(raw);
    if (!parsed.success) {
      this.services.log.error(`Dashboard sent an invalid message: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
      return;
    }
    const message: WebviewToHost = parsed.data;
    switch (message.type) {
      case 'webview/ready':
        this.closeTails();
        this.sendState();
        if (this.selectedRunId) this.sendRun(this.selectedRunId);
        if (this.foundUnits) this.post(this.foundUnits);
        return;
      case 'run/select':
        this.selectedRunId = message.runId;
        this.sendRun(message.runId);
        return;
      case 'run/compare':
        for (const runId of message.runIds) this.sendRun(runId);
        return;
      case 'train/stop':
        this.services.training.stop(message.runId);
        return;
      case 'train/continue':
        void vscode.commands.executeCommand('seqlab.continueTraining', message.runId);
        return;
      case 'predict/request':
      case 'generate/request':
      case 'classify/request':
        return this.answer(message);
      case 'row/reveal':
        return this.revealRow(message.runId, message.line);
      case 'generation/copy':
        await vscode.env.clipboard.writeText(message.text);
        vscode.window.setStatusBarMessage(vscode.l10n.t('$(check) SeqLab: the generated text is on the clipboard.'), 4000);
        return;
      case 'generation/insert':
        return this.insertAtCursor(message.text);
      case 'inside/showUnit':
        await vscode.commands.executeCommand('seqlab.showActivations', { layer: message.layer, state: message.state, unit: message.unit });
        return;
    }
  }

  /** Inserts generated text at the cursor of the text editor used last (the dashboard has the focus now), or says that none is open. */
  private async insertAtCursor(text: string): Promise<void> {
    const last = this.lastEditor;
    if (!last || last.document.isClosed) {
      void vscode.window.showWarningMessage(
        vscode.l10n.t(
          'No text editor is open to insert the generated text into: open a file, click where the text should go, then press Insert at cursor again.',
        ),
      );
      return;
    }
    const cursor = last.selection.active;
    const file = vscode.workspace.asRelativePath(last.document.uri);
    try {
      // The editor may be hidden behind the dashboard: show its document again where it was, with the same cursor.
      const editor = await vscode.window.showTextDocument(last.document, { viewColumn: last.viewColumn, selection: new vscode.Range(cursor, cursor) });
      if (!(await editor.edit((edit) => edit.insert(cursor, text)))) throw new Error(vscode.l10n.t('the editor does not accept edits (is it read-only?)'));
    } catch (error) {
      void vscode.window.showWarningMessage(
        vscode.l10n.t('The generated text could not be inserted into {0}: {1}.', file, (error as Error).message.replace(/\.$/, '')),
      );
    }
  }

  /**
   * Opens the data file of a run at a row (a 1-based line; a row over several lines is selected whole) beside the
   * dashboard, which keeps the focus so that the next row can be picked; says why when the run was not trained on a file.
   */
  private async revealRow(runId: string, line: number): Promise<void> {
    const record = this.services.runs.record(runId);
    if (!record) {
      void vscode.window.showWarningMessage(vscode.l10n.t('That run no longer exists.'));
      return;
    }
    const name = record.name ?? record.id;
    const file = record.source.kind === 'file' ? record.source.path : undefined;
    if (!file) {
      void vscode.window.showInformationMessage(
        record.source.kind === 'stdin'
          ? vscode.l10n.t('{0} was trained on standard input, not on a file, so its rows cannot be opened.', name)
          : vscode.l10n.t('{0} was trained on a text, not on a file, so its rows cannot be opened.', name),
      );
      return;
    }
    try {
      const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
      if (line > document.lineCount) {
        void vscode.window.showWarningMessage(
          vscode.l10n.t('{0} has {1} lines now, not line {2}: it changed since {3} was trained.', path.basename(file), document.lineCount, line, name),
        );
        return;
      }
      const span = recordAt(csvLayout(document.getText(), file), line - 1) ?? { first: line - 1, last: line - 1 };
      const range = rowRange(document, span);
      const editor = await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true, selection: range });
      editor.revealRange(range, vscode.TextEditorRevealType.InCenter);
      if ((await fs.stat(file)).size !== record.source.bytes) {
        vscode.window.setStatusBarMessage(
          vscode.l10n.t('$(warning) SeqLab: {0} changed since {1} was trained; its rows may have moved.', path.basename(file), name),
          6000,
        );
      }
    } catch (error) {
      void vscode.window.showWarningMessage(vscode.l10n.t('{0} cannot be opened: {1}', file, (error as Error).message));
    }
  }

  private async answer(message: Extract<WebviewToHost, { type: 'predict/request' | 'generate/request' | 'classify/request' }>): Promise<void> {
    const runDir = this.services.runs.runDir(message.runId);
    if (!runDir) {
      this.post({ type: 'request/error', requestId: message.requestId, message: vscode.l10n.t('That run no longer exists.') });
      return;
    }
    try {
      if (message.type === 'predict/request') {
        const result = await this.services.engine.request('predict/next', { runDir, prompt: message.prompt, topK: message.topK });
        this.post({ type: 'predict/result', requestId: message.requestId, runId: message.runId, topK: result.topK });
      } else if (message.type === 'classify/request') {
        const { labels } = await classifyText(this.services.engine, runDir, message.text);
        this.post({ type: 'classify/result', requestId: message.requestId, runId: message.runId, labels });
      } else {
        const seed = crypto.randomInt(2 ** 31);
        const result = await this.services.engine.request('predict/generate', {
          runDir,
          prompt: message.prompt,
          length: message.length,
          temperature: message.temperature,
          topK: GENERATE_DEFAULTS.topK,
          seed,
        });
        this.post({ type: 'generate/result', requestId: message.requestId, runId: message.runId, text: result.text });
      }
    } catch (error) {
      this.post({ type: 'request/error', requestId: message.requestId, message: (error as Error).message });
    }
  }

  dispose(): void {
    if (DashboardPanel.current === this) DashboardPanel.current = undefined;
    this.closeTails();
    this.panel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

/** The editor, unless it is an output channel's: those show as text editors too, but are not where generated text goes. */
function documentEditor(editor: vscode.TextEditor | undefined): vscode.TextEditor | undefined {
  return editor?.document.uri.scheme === 'output' ? undefined : editor;
}

/** Restores the dashboard after a window reload. */
export class DashboardSerializer implements vscode.WebviewPanelSerializer {
  constructor(private readonly services: DashboardServices) {}

  async deserializeWebviewPanel(panel: vscode.WebviewPanel): Promise<void> {
    DashboardPanel.revive(panel, this.services);
  }
}
