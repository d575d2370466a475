// The Runs view in the SeqLab activity-bar container: every run with its status icon and key metric.
import * as vscode from 'vscode';
import type { RunListItem } from '../shared/protocol';
import type { RunsModel } from './runsModel';

/** Codicons for each run status. */
const STATUS_ICONS: Record<RunListItem['status'], vscode.ThemeIcon> = {
  running: new vscode.ThemeIcon('sync~spin', new vscode.ThemeColor('charts.blue')),
  completed: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  cancelled: new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('disabledForeground')),
  failed: new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed')),
  corrupt: new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground')),
};

/** Lists runs, newest first; `contextValue` (e.g. `run.completed.text`) drives the inline and context actions. */
export class RunsTreeProvider implements vscode.TreeDataProvider<RunListItem> {
  readonly onDidChangeTreeData: vscode.Event<void>;

  constructor(private readonly runs: RunsModel) {
    this.onDidChangeTreeData = runs.onDidChange;
  }

  getChildren(element?: RunListItem): RunListItem[] {
    return element ? [] : this.runs.items();
  }

  getTreeItem(run: RunListItem): vscode.TreeItem {
    const item = new vscode.TreeItem(run.name, vscode.TreeItemCollapsibleState.None);
    item.id = run.id;
    item.iconPath = STATUS_ICONS[run.status];
    item.description = [run.cell?.toUpperCase(), run.keyMetric].filter(Boolean).join(' · ');
    item.contextValue = `run.${run.status}.${run.task ?? 'unknown'}`;
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendMarkdown(`**${run.name}** — ${run.status}\n\n`);
    if (run.task) tooltip.appendMarkdown(`${run.task}, ${run.cell?.toUpperCase()}, ${run.params?.toLocaleString()} parameters, ${run.backend}\n\n`);
    if (run.keyMetric) tooltip.appendMarkdown(`${run.keyMetric}\n\n`);
    if (run.importedFrom) tooltip.appendText(`${run.importedFrom}\n\n`);
    if (run.message) tooltip.appendText(run.message);
    item.tooltip = tooltip;
    if (run.status !== 'corrupt') item.command = { command: 'seqlab.openDashboard', title: vscode.l10n.t('Open in Dashboard'), arguments: [run] };
    return item;
  }
}
