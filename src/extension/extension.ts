// The extension's entry point: constructs the services and registers them; nothing heavy runs at activation.
import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { CsvClassifyProvider } from './csvClassify';
import { DashboardPanel, DashboardSerializer } from './dashboardPanel';
import { EngineHost } from './engineHost';
import { registerInsideCommands } from './inspect/insideCommands';
import { InsideController } from './inspect/insideController';
import { InsideHoverProvider } from './inspect/insideHover';
import { Log } from './log';
import { CsvForecastProvider, PreviewModel, TextPreviewProvider, TokenHoverProvider } from './preview';
import { registerPytorchCommands } from './pytorchCommands';
import { RunsModel } from './runsModel';
import { RunsTreeProvider } from './runsTree';
import { runsDirectory } from './settings';
import { TrainingService } from './training';

/** What tests and other extensions can reach. */
export interface SeqLabApi {
  training: TrainingService;
  runs: RunsModel;
  engine: EngineHost;
  /** Which text run feeds the preview (and the inside view). */
  preview: PreviewModel;
  /** The inside view (activations, surprisal, unit search) and what it colours. */
  inside: InsideController;
}

export function activate(context: vscode.ExtensionContext): SeqLabApi {
  const log = new Log();
  const runs = new RunsModel(runsDirectory(context));
  const engine = new EngineHost(context.asAbsolutePath('dist/engine.js'), log);
  const training = new TrainingService(engine, runs, log);
  const preview = new PreviewModel(context.workspaceState, runs);
  const csvForecast = new CsvForecastProvider(runs, engine);
  const csvClassify = new CsvClassifyProvider(runs, engine);
  const inside = new InsideController(engine, preview, runs);
  const services = { extensionUri: context.extensionUri, runs, training, engine, log, preview, csvForecast, inside };
  // Every file and untitled document: the providers check seqlab.preview.languages on each request, so a change to it applies at once.
  const textDocuments = [{ scheme: 'file' }, { scheme: 'untitled' }];
  const csvDocuments = [{ pattern: '**/*.{csv,tsv}' }];

  context.subscriptions.push(
    log,
    runs,
    engine,
    training,
    preview,
    inside,
    ...registerCommands(services),
    ...registerInsideCommands(inside),
    ...registerPytorchCommands({ runs, extensionPath: context.extensionPath }),
    vscode.window.registerTreeDataProvider('seqlab.runs', new RunsTreeProvider(runs)),
    vscode.window.registerWebviewPanelSerializer(DashboardPanel.viewType, new DashboardSerializer(services)),
    vscode.languages.registerInlineCompletionItemProvider(textDocuments, new TextPreviewProvider(preview, engine)),
    vscode.languages.registerHoverProvider(textDocuments, new TokenHoverProvider(preview, engine)),
    vscode.languages.registerHoverProvider(textDocuments, new InsideHoverProvider(inside)),
    vscode.languages.registerCodeLensProvider(csvDocuments, csvForecast),
    vscode.languages.registerInlineCompletionItemProvider(csvDocuments, csvForecast),
    vscode.languages.registerCodeLensProvider(csvDocuments, csvClassify),
    vscode.languages.registerHoverProvider(csvDocuments, csvClassify),
    training.onRunStarted((runId) => {
      if (vscode.workspace.getConfiguration('seqlab').get('openDashboardOnTrain', true)) DashboardPanel.show(services, runId);
    }),
  );
  return { training, runs, engine, preview, inside };
}

export function deactivate(): void {
  // Everything, engine processes included, is disposed through context.subscriptions.
}
