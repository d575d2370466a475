// "Export Run to PyTorch…" and "Import Run from PyTorch…": each asks for a folder and runs `seqlab export` or `seqlab import` as a CLI child process.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunListItem } from '../shared/protocol';
import { hasUsableModel } from '../shared/runFolder';

/** What the commands need from the Runs view. */
export interface PytorchCommandServices {
  runs: { items(): RunListItem[]; runDir(id: string): string | undefined; readonly runsDir: string; refresh(now?: boolean): Promise<void> };
  /** The extension's folder (dist/cli.js is the CLI). */
  extensionPath: string;
}

/** Registers seqlab.exportRunToPyTorch (from a run in the Runs view, its argument, or the palette's pick) and seqlab.importRunFromPyTorch. */
export function registerPytorchCommands(services: PytorchCommandServices): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('seqlab.exportRunToPyTorch', (arg?: unknown) => exportRun(services, arg)),
    vscode.commands.registerCommand('seqlab.importRunFromPyTorch', () => importRun(services)),
  ];
}

async function exportRun(services: PytorchCommandServices, arg: unknown): Promise<void> {
  const exportable = (r: RunListItem) => hasUsableModel(r) && (r.task === 'text' || r.task === 'series');
  const runs = services.runs.items().filter(exportable);
  const id = typeof arg === 'string' ? arg : (arg as RunListItem | undefined)?.id;
  const run =
    (id && runs.find((r) => r.id === id)) ||
    (
      await vscode.window.showQuickPick(
        runs.map((r) => ({ label: r.name, description: [r.task, r.cell?.toUpperCase(), r.keyMetric].filter(Boolean).join(' · '), run: r })),
        { placeHolder: vscode.l10n.t('Export which run to PyTorch?') },
      )
    )?.run;
  const runDir = run && services.runs.runDir(run.id);
  if (!run || !runDir) return;
  const picked = await vscode.window.showOpenDialog({
    canSelectFolders: true,
    canSelectFiles: false,
    canSelectMany: false,
    openLabel: vscode.l10n.t('Export Here'),
    title: vscode.l10n.t('Folder for the PyTorch export of "{0}" (a subfolder is created)', run.name),
  });
  if (!picked?.[0]) return;
  const out = path.join(picked[0].fsPath, `${path.basename(runDir)}-pytorch`);
  if (fs.existsSync(out)) {
    void vscode.window.showErrorMessage(vscode.l10n.t('{0} already exists: choose another folder.', out));
    return;
  }
  const done = await runCli(services, ['export', runDir, '--to', 'pytorch', '--out', out], vscode.l10n.t('Exporting "{0}" to PyTorch…', run.name));
  if (done === null) return;
  const open = await vscode.window.showInformationMessage(vscode.l10n.t('Exported to {0}.', out), vscode.l10n.t('Open README'));
  if (open) void vscode.commands.executeCommand('vscode.open', vscode.Uri.file(path.join(out, 'README.md')));
}

/** Asks for an export folder (trained further with its train.py, or not), imports it into this workspace's run store and opens the new run. */
async function importRun(services: PytorchCommandServices): Promise<void> {
  const picked = await vscode.window.showOpenDialog({
    canSelectFolders: true,
    canSelectFiles: false,
    canSelectMany: false,
    openLabel: vscode.l10n.t('Import'),
    title: vscode.l10n.t('A PyTorch export folder made by "Export Run to PyTorch…" (its newest checkpoint is read)'),
  });
  if (!picked?.[0]) return;
  const exportDir = picked[0].fsPath;
  const stdout = await runCli(
    services,
    ['import', exportDir, '--runs-dir', services.runs.runsDir, '--json'],
    vscode.l10n.t('Importing {0} and evaluating it on its run’s held-out split…', path.basename(exportDir)),
  );
  if (stdout === null) return;
  const runDir = (JSON.parse(stdout) as { runDir: string }).runDir;
  await services.runs.refresh(true);
  await vscode.commands.executeCommand('seqlab.openDashboard', path.basename(runDir));
}

/** Runs the CLI with a progress notification; resolves with its stdout, or null after showing its one-line error. */
function runCli(services: PytorchCommandServices, args: string[], title: string): Thenable<string | null> {
  const cli = path.join(services.extensionPath, 'dist', 'cli.js');
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title },
    () =>
      new Promise<string | null>((resolve) => {
        // The extension host's executable runs as plain Node with ELECTRON_RUN_AS_NODE.
        execFile(process.execPath, [cli, ...args], { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } }, (error, stdout, stderr) => {
          if (error) void vscode.window.showErrorMessage(stderr.trim().split('\n').pop() || error.message);
          resolve(error ? null : stdout);
        });
      }),
  );
}
