// Serves the dashboard harness: index.html, the webview bundle (built in memory by esbuild), the CSS, and fixtures from a runs folder.
import { createServer } from 'node:http';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Builds the webview exactly as the extension does, into memory. */
async function bundleWebview() {
  const result = await esbuild.build({
    entryPoints: [path.join(root, 'webview/main.ts')],
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    write: false,
    logLevel: 'warning',
  });
  return result.outputFiles[0].text;
}

/** The key metric of a run, as the host's list shows it (bits per char, perplexity, MASE, or macro-F1). */
function keyMetric(summary) {
  if (!summary) return null;
  if (summary.task === 'classify') return `macro-F1 ${summary.metrics.macroF1.toFixed(2)}`;
  if (summary.task === 'text') {
    const m = summary.metrics;
    return m.bitsPerChar !== null ? `${m.bitsPerChar.toFixed(2)} bpc` : `ppl ${m.perplexity.toFixed(1)}`;
  }
  return summary.metrics.mase !== null ? `MASE ${summary.metrics.mase.toFixed(2)}` : `MAE ${summary.metrics.mae.toPrecision(3)}`;
}

/** A run record as the dashboard's list item. */
function listItem(record) {
  return {
    id: record.id,
    name: record.name ?? record.id,
    status: record.status,
    task: record.task,
    cell: record.model?.cell ?? record.config?.cell ?? null,
    createdAt: record.createdAt,
    message: record.message ?? null,
    keyMetric: keyMetric(record.summary),
    summary: record.summary ?? null,
    progress: record.progress ?? null,
    backend: record.backend ?? null,
    params: record.params ?? null,
    textValidation:
      record.data?.kind === 'text'
        ? {
            splitTokens: record.data.valTokens,
            sampleTokens: record.config?.maxEvalItems ?? 8192,
            seqLen: record.data.seqLen,
            characters: record.data.tokens === 'char',
          }
        : null,
  };
}

/** Character bigram counts over a text run's vocabulary, so the mock can answer predict and generate plausibly. */
function bigramCounts(record) {
  const vocab = record.data?.vocab;
  const file = record.source?.path;
  if (record.data?.tokens !== 'char' || !vocab || !file || !existsSync(file)) return null;
  const index = new Map(vocab.map((token, i) => [token, i]));
  const text = readFileSync(file, 'utf8');
  const counts = vocab.map(() => new Array(vocab.length).fill(0));
  for (let i = 1; i < text.length; i++) counts[index.get(text[i - 1]) ?? 0][index.get(text[i]) ?? 0]++;
  return { vocab, counts };
}

/** Reads every run folder into the fixtures the mock host answers with, plus a live, a failed and a corrupt run. */
export function loadFixtures(runsDir) {
  const runs = [];
  for (const folder of readdirSync(runsDir).sort().reverse()) {
    const dir = path.join(runsDir, folder);
    if (!existsSync(path.join(dir, 'run.json'))) continue;
    const record = JSON.parse(readFileSync(path.join(dir, 'run.json'), 'utf8'));
    const lines = readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line));
    const forecastFile = path.join(dir, 'forecast.json');
    runs.push({
      item: listItem(record),
      labels: record.data?.kind === 'classify' ? record.data.labels : null,
      lines,
      forecast: existsSync(forecastFile) ? JSON.parse(readFileSync(forecastFile, 'utf8')) : null,
      bigram: bigramCounts(record),
    });
  }
  const text = runs.find((run) => run.item.task === 'text');
  const now = Date.now();
  if (text) {
    runs.unshift({
      item: {
        ...text.item,
        id: 'harness-live-english',
        name: 'english (live)',
        status: 'running',
        cell: 'gru',
        createdAt: new Date(now - 90_000).toISOString(),
        message: null,
        keyMetric: null,
        summary: null,
      },
      lines: text.lines.slice(0, 40),
      forecast: null,
      // The host answers a training run from its best checkpoint so far.
      bigram: text.bigram,
    });
  }
  runs.push(
    {
      item: {
        ...listItem({ id: 'harness-failed-sales', name: 'sales', status: 'failed', task: 'series', createdAt: new Date(now - 86_400_000).toISOString() }),
        cell: 'lstm',
        message: 'Column "revenue" has no numeric values: choose a target with --target.',
      },
      lines: [],
      forecast: null,
      bigram: null,
    },
    {
      item: {
        id: 'harness-corrupt',
        name: 'harness-corrupt',
        status: 'corrupt',
        task: null,
        cell: null,
        createdAt: null,
        message: 'run.json is not valid JSON.',
        keyMetric: null,
        summary: null,
        progress: null,
        backend: null,
        params: null,
        textValidation: null,
      },
      lines: [],
      forecast: null,
      bigram: null,
    },
  );
  return { runs };
}

const CONTENT_TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json' };

/** Starts the harness server on a free port; resolves with its base URL and a `close` function. */
export async function startHarnessServer({ runsDir = '/tmp/sample-runs', port = 0 } = {}) {
  const bundle = await bundleWebview();
  const fixtures = `window.HARNESS_FIXTURES = ${JSON.stringify(loadFixtures(runsDir))};`;
  const files = {
    '/': path.join(root, 'test/webview-harness/index.html'),
    '/dist/uPlot.min.css': path.join(root, 'node_modules/uplot/dist/uPlot.min.css'),
    '/media/dashboard.css': path.join(root, 'media/dashboard.css'),
    '/test/webview-harness/harness.js': path.join(root, 'test/webview-harness/harness.js'),
  };
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const send = (body, type) => {
      response.writeHead(200, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-store' });
      response.end(body);
    };
    if (url.pathname === '/dist/webview.js') return send(bundle, 'text/javascript');
    if (url.pathname === '/fixtures.js') return send(fixtures, 'text/javascript');
    if (url.pathname === '/favicon.ico') return response.writeHead(204).end();
    const file = files[url.pathname];
    if (!file) {
      response.writeHead(404);
      return response.end('not found');
    }
    send(readFileSync(file), CONTENT_TYPES[path.extname(file)] ?? 'text/html');
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address();
  return { url: `http://127.0.0.1:${address.port}/`, close: () => new Promise((resolve) => server.close(resolve)) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { url } = await startHarnessServer({ runsDir: process.argv[2] ?? '/tmp/sample-runs', port: Number(process.env.PORT ?? 5178) });
  console.log(`Dashboard harness: ${url}?theme=dark (or light, high-contrast)`);
}
