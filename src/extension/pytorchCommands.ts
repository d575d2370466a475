// "Export Run to PyTorch…": asks for a folder and runs `seqlab export --to pytorch` as a CLI child process.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunListItem } from '../shared/protocol';
import { hasUsableModel } from '../shared/runFolder';

/** What the command needs from the Runs view. */
export interface ExportCommandServices {
  runs: { items(): RunListItem[]; runDir(id: string): string | undefined };
  /** The extension's folder (dist/cli.js is the CLI). */
  extensionPath: string;
}

/** Registers seqlab.exportRunToPyTorch: from a run in the Runs view (its argument) or the palette (a pick). */
export function registerExportCommand(services: ExportCommandServices): vscode.Disposable {
  return vscode.commands.registerCommand('seqlab.exportRunToPyTorch', async (arg?: unknown) => {
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
    const cli = path.join(services.extensionPath, 'dist', 'cli.js');
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Exporting "{0}" to PyTorch…', run.name) },
      () =>
        new Promise<void>((resolve) => {
          // The extension host's executable runs as plain Node with ELECTRON_RUN_AS_NODE.
          execFile(
            process.execPath,
            [cli, 'export', runDir, '--to', 'pytorch', '--out', out],
            { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } },
            (error, _stdout, stderr) => {
              if (error) void vscode.window.showErrorMessage(stderr.trim().split('\n').pop() || error.message);
              else
                void vscode.window.showInformationMessage(vscode.l10n.t('Exported to {0}.', out), vscode.l10n.t('Open README')).then((open) => {
                  if (open) void vscode.commands.executeCommand('vscode.open', vscode.Uri.file(path.join(out, 'README.md')));
                });
              resolve();
            },
          );
        }),
    );
  });
}
