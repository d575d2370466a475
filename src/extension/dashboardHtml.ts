// The dashboard page: a strict Content Security Policy, one nonce-tagged script, and styles from the extension only.

/** What the page needs from the webview: its CSP source and the URIs of the bundle and styles. */
export interface DashboardPageArgs {
  /** `webview.cspSource`: the origin of the extension's own resources. */
  cspSource: string;
  /** A fresh random nonce for the one script. */
  nonce: string;
  scriptUri: string;
  styleUris: string[];
}

/** The dashboard's HTML: no inline script, no eval, no remote origin; the script runs only by its nonce. */
export function dashboardHtml({ cspSource, nonce, scriptUri, styleUris }: DashboardPageArgs): string {
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'unsafe-inline'`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} data:`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${csp}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
${styleUris.map((uri) => `  <link rel="stylesheet" href="${uri}">`).join('\n')}
  <title>SeqLab Dashboard</title>
</head>
<body>
  <div id="app"></div>
  <script nonce="${nonce}" src="${scriptUri}"></script>
</body>
</html>`;
}
