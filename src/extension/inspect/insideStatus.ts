// The inside view's status bar item: the unit shown (click to switch layer, state or unit), or the document's total surprisal (click to switch the colours off).
import * as vscode from 'vscode';
import { bucketMeaning, coloredBuckets } from './colorScale';

/** One status bar item, beside the preview model's. */
export class InsideStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('seqlab.inside', vscode.StatusBarAlignment.Right, 99);
  private shown = false;

  constructor() {
    this.item.name = vscode.l10n.t('SeqLab Inside the Model');
  }

  /** The text shown now, or null when hidden (for tests). */
  get text(): string | null {
    return this.shown ? this.item.text : null;
  }

  /** Activations: "unit 17 · LSTM h"; `scale` is what |value| 1 stands for (an LSTM's c), `note` a line about what was read. */
  showActivations(label: string, runName: string, scale: number, note: string | undefined): void {
    const tooltip = new vscode.MarkdownString(vscode.l10n.t("**SeqLab: {0}** of {1}, colouring each character by the unit's value after it.", label, runName));
    tooltip.appendMarkdown(
      '\n\n' +
        vscode.l10n.t(
          'Orange above zero, blue below, stronger further from it: {0}.',
          coloredBuckets('activations')
            .filter((b) => b > 0)
            .map((b) => bucketMeaning('activations', b, scale))
            .join(', '),
        ),
    );
    if (note) tooltip.appendMarkdown(`\n\n${note}`);
    tooltip.appendMarkdown('\n\n' + vscode.l10n.t('Click to switch the layer, state or unit.'));
    this.show(`$(pulse) ${label}`, tooltip, 'seqlab.chooseUnit');
  }

  /** Surprisal: "12,345 bits · 2.31 bits/char". */
  showSurprisal(label: string, runName: string, note: string | undefined): void {
    const tooltip = new vscode.MarkdownString(vscode.l10n.t('**SeqLab surprisal** under {0}: {1} (the text read, scored as eval scores it).', runName, label));
    tooltip.appendMarkdown(
      '\n\n' +
        vscode.l10n.t(
          'Red, stronger the more surprising: {0}.',
          coloredBuckets('surprisal')
            .map((b) => bucketMeaning('surprisal', b))
            .join(', '),
        ),
    );
    if (note) tooltip.appendMarkdown(`\n\n${note}`);
    tooltip.appendMarkdown('\n\n' + vscode.l10n.t('Click to switch the colours off.'));
    this.show(`$(flame) ${label}`, tooltip, 'seqlab.toggleInside');
  }

  /** A reading under way: the spinner beside the last label. */
  busy(): void {
    if (this.shown && !this.item.text.startsWith('$(loading~spin)')) this.item.text = this.item.text.replace(/^\$\([^)]+\)/, '$(loading~spin)');
  }

  hide(): void {
    this.shown = false;
    this.item.hide();
  }

  private show(text: string, tooltip: vscode.MarkdownString, command: string): void {
    this.item.text = text;
    this.item.tooltip = tooltip;
    this.item.command = command;
    this.shown = true;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
