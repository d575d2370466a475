// Tests that a full train/predict/forecast cycle reaches no network: the CLI runs with every outbound connection blocked and logged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT as ROOT, runCli, tempDir } from '../testHelpers';

const PRELOAD = path.join(ROOT, 'test/fixtures/no-network.cjs');
const dir = tempDir('seqlab-no-network-');
const log = path.join(dir, 'network.log');

/** Runs the CLI with `args` and the network blocked; asserts that it succeeds and returns its stdout. */
function offline(args: string[]) {
  const result = runCli(args, { nodeArgs: ['--require', PRELOAD], env: { ...process.env, SEQLAB_NETWORK_LOG: log } });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout;
}

test('the blocker catches a connection attempt (so the test below can fail)', () => {
  const probe = path.join(dir, 'probe.log');
  const result = spawnSync(process.execPath, ['--require', PRELOAD, '-e', "try { require('net').connect(80, '127.0.0.1') } catch {}"], {
    env: { ...process.env, SEQLAB_NETWORK_LOG: probe },
  });
  assert.equal(result.status, 0);
  assert.match(fs.readFileSync(probe, 'utf8'), /net connect .*"port":80/);
});

test('train, predict, generate, forecast and eval with the network blocked try no connection', () => {
  const runs = path.join(dir, 'runs');
  const text = JSON.parse(offline(['train', path.join(ROOT, 'samples/english.txt'), '--max-seconds', '3', '--hidden', '32', '--runs-dir', runs, '--json']));
  offline(['predict', text.runDir, '--prompt', 'The ', '--json']);
  offline(['generate', text.runDir, '--prompt', 'The ', '--length', '20', '--json']);
  const series = JSON.parse(
    offline([
      'train',
      path.join(ROOT, 'samples/monthly_sales.csv'),
      '--lookback',
      '24',
      '--horizon',
      '6',
      '--epochs',
      '2',
      '--hidden',
      '16',
      '--runs-dir',
      runs,
      '--json',
    ]),
  );
  offline(['forecast', series.runDir, '--json']);
  offline(['eval', series.runDir, '--json']);
  assert.equal(fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : '', '');
});
