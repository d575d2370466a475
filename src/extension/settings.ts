// Reads the seqlab.* settings: training defaults, the runs folder, the prediction preview and the inside view.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { settingKey, TRAIN_OPTIONS, type TrainArgs, type TrainOptionName } from '../shared/options';

/** The training options from the user's `seqlab.training.*` settings (every option of the table that has one). */
export function trainingDefaults(): Partial<TrainArgs> {
  const config = vscode.workspace.getConfiguration();
  const args: Partial<Record<TrainOptionName, unknown>> = {};
  for (const name of Object.keys(TRAIN_OPTIONS) as TrainOptionName[]) {
    if (TRAIN_OPTIONS[name].place === 'run') continue;
    const value = config.get(settingKey(name));
    if (value !== undefined) args[name] = value;
  }
  return args as Partial<TrainArgs>;
}

/** The time budget (seconds, 0 = none) of one-step training when no setting or option sets one, and of "Continue training". */
export function defaultMaxSeconds(): number {
  return vscode.workspace.getConfiguration('seqlab').get<number>('defaultTimeBudget', 60);
}

/** The runs folder: the setting (relative to the first workspace folder), else .seqlab/runs there, else global storage. */
export function runsDirectory(context: vscode.ExtensionContext): string {
  const setting = vscode.workspace.getConfiguration('seqlab').get<string>('runsDirectory', '').trim();
  const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (setting) return path.isAbsolute(setting) || !root ? path.resolve(root ?? context.globalStorageUri.fsPath, setting) : path.join(root, setting);
  return root ? path.join(root, '.seqlab', 'runs') : path.join(context.globalStorageUri.fsPath, 'runs');
}

/** The prediction preview's settings. */
export function previewSettings(): { enabled: boolean; length: number; languages: string[] } {
  const config = vscode.workspace.getConfiguration('seqlab.preview');
  return { enabled: config.get('enabled', true), length: config.get('length', 24), languages: config.get('languages', ['plaintext', 'markdown']) };
}

/** Whether "Show Activations", "Show Surprisal" and "Find Units" may colour the editor (`seqlab.inside.decorations`). */
export function insideDecorationsEnabled(): boolean {
  return vscode.workspace.getConfiguration('seqlab.inside').get('decorations', true);
}
