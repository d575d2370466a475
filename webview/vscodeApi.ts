// Typed access to the VS Code webview API: messages to the extension host and state kept across hide/show.
import type { WebviewToHost } from '../src/shared/protocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** The API object; VS Code allows acquiring it only once per page. */
const api = acquireVsCodeApi();

/** Sends a message to the extension host. */
export function postToHost(message: WebviewToHost): void {
  api.postMessage(message);
}

/** The state saved by {@link saveWebviewState}, or undefined on first load. */
export function loadWebviewState(): unknown {
  return api.getState();
}

/** Saves state that VS Code restores when the hidden panel is shown again. */
export function saveWebviewState(state: unknown): void {
  api.setState(state);
}
