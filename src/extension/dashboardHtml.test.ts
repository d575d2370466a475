// Tests that the dashboard page's Content Security Policy forbids inline scripts, eval and remote origins.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dashboardHtml } from './dashboardHtml';

const html = dashboardHtml({
  cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
  nonce: 'abc123',
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/dashboard.js',
  styleUris: ['https://file+.vscode-resource.vscode-cdn.net/ext/media/dashboard.css'],
});
const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
const directives = Object.fromEntries(
  csp
    .split(';')
    .map((d) => d.trim().split(/\s+/))
    .map(([name, ...values]) => [name, values]),
);

test('the policy starts from nothing and allows scripts only by nonce', () => {
  assert.deepEqual(directives['default-src'], ["'none'"]);
  assert.deepEqual(directives['script-src'], ["'nonce-abc123'"]);
  assert.doesNotMatch(csp, /unsafe-eval|wasm-unsafe-eval|\*|http:/);
  assert.equal(directives['connect-src'], undefined, 'no fetch or websocket anywhere');
});

test('every script tag carries the nonce and a src from the extension; there is no inline script or handler', () => {
  const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
  assert.equal(scripts.length, 1);
  for (const [, attributes, body] of scripts) {
    assert.match(attributes, /nonce="abc123"/);
    assert.match(attributes, /src="https:\/\/file\+\.vscode-resource\.vscode-cdn\.net\//);
    assert.equal(body.trim(), '');
  }
  assert.doesNotMatch(html, /\son[a-z]+=/i);
});

test('styles, fonts and images come only from the extension (plus data: images)', () => {
  for (const name of ['style-src', 'font-src', 'img-src']) {
    for (const source of directives[name])
      assert.ok(["'unsafe-inline'", 'data:', 'https://file+.vscode-resource.vscode-cdn.net'].includes(source), `${name} ${source}`);
  }
});
