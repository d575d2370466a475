// The "SeqLab" output channel: engine notes, errors with their stacks, and process events.
import * as vscode from 'vscode';

/** The log every part of the extension writes to; "Show Log" opens it. */
export class Log implements vscode.Disposable {
  readonly channel = vscode.window.createOutputChannel('SeqLab', { log: true });

  info(message: string): void {
    this.channel.info(message);
  }

  error(message: string): void {
    this.channel.error(message);
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}
