// Starts code-server (scripts/code-server/launch.sh) on fresh extensions and user-data dirs and opens its workbench in Debian's chromium via playwright-core.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium, type Page } from 'playwright-core';

/** The repo root, from out/test/e2e. */
export const ROOT = path.resolve(__dirname, '../../..');

export interface CodeServerOptions {
  /** Extension folders that launch.sh installs (copies) into the fresh extensions dir. */
  extensions: string[];
  /** Folder the workbench opens. */
  workspace: string;
  /** Extra environment for code-server, which its extension host inherits. */
  env?: NodeJS.ProcessEnv;
}

export interface CodeServerSession {
  url: string;
  page: Page;
  /** Throwaway folder with the extensions dir, user-data dir (logs under user-data/logs), chromium profile and code-server.log. */
  dir: string;
  /** Resolves when code-server exits; rejects if it exits before close(). */
  exited: Promise<void>;
  close(): Promise<void>;
}

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServerSession> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-e2e-'));
  const launch = path.join(ROOT, 'scripts/code-server/launch.sh');
  const args = [launch, '--user-data-dir', path.join(dir, 'user-data'), '--extensions-dir', path.join(dir, 'extensions')];
  for (const extension of options.extensions) args.push('--extension', extension);
  args.push(options.workspace);
  const server = spawn('bash', args, { env: { ...process.env, ...options.env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = fs.createWriteStream(path.join(dir, 'code-server.log'));
  server.stdout.pipe(log);
  server.stderr.pipe(log);
  let closing = false;
  const exited = new Promise<void>((resolve, reject) =>
    server.on('exit', (code) => (closing ? resolve() : reject(new Error(`code-server exited (${code}); see ${dir}/code-server.log`)))),
  );
  const url = await Promise.race([firstUrl(server.stdout), exited.then(() => '')]);
  await Promise.race([waitUntilHealthy(new URL('/healthz', url).href), exited]);

  const context = await chromium.launchPersistentContext(path.join(dir, 'chromium'), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: CHROMIUM_ARGS,
  });
  // Belt and braces for "nothing reaches the network": the page may only talk to this code-server.
  const origin = new URL(url).origin;
  await context.route(
    (requested) => requested.origin !== origin && requested.protocol.startsWith('http'),
    (route) => {
      console.warn(`e2e: blocked off-machine request ${route.request().url()}`);
      return route.abort();
    },
  );
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(url);
  await page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: 60_000 });

  return {
    url,
    page,
    dir,
    exited,
    async close() {
      closing = true;
      await context.close();
      if (server.exitCode === null && server.pid !== undefined) process.kill(-server.pid, 'SIGTERM');
      await exited;
    },
  };
}

/** The URL that launch.sh prints (whole, as it is followed by a space) before it starts code-server. */
function firstUrl(stdout: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      const match = /(http:\/\/127\.0\.0\.1:\d+\/\S*)\s/.exec(text);
      if (match) {
        stdout.off('data', onData);
        resolve(match[1]);
      }
    };
    stdout.on('data', onData);
  });
}

async function waitUntilHealthy(healthz: string): Promise<void> {
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; await sleep(200)) {
    if (
      await fetch(healthz).then(
        (response) => response.ok,
        () => false,
      )
    )
      return;
  }
  throw new Error(`code-server did not answer ${healthz} within 30 s`);
}
