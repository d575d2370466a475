// Tests that an engine process never outlives its host: when the host dies (a window reload), training stops and the process exits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { tempDir } from '../testHelpers';
import { listRuns } from './runStore';

const ENGINE = path.resolve(__dirname, '../../../dist/engine.js');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(what: string, check: () => boolean, timeoutMs = 60_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !check(); await new Promise((resolve) => setTimeout(resolve, 100))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
  }
}

test('killing the host mid-run ends the engine process, and its run is kept as cancelled', async (t) => {
  const runsDir = tempDir('seqlab-orphans-', t);
  // A stand-in for the extension host: forks the engine, starts a long run, prints the engine's pid.
  const host = `
    const { fork } = require('node:child_process');
    const engine = fork(${JSON.stringify(ENGINE)}, [], { serialization: 'advanced', stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
    engine.on('message', (m) => {
      if (m.type === 'engine/ready') engine.send({ type: 'train/start', request: { text: 'abcdefgh'.repeat(500), args: { hidden: 16, seqLen: 16, epochs: 100000, patience: 0, evalEvery: 5, backend: 'wasm' }, runsDir: ${JSON.stringify(runsDir)} } });
      if (m.type === 'train/progress') console.log('engine ' + engine.pid);
    });`;
  const parent = spawn(process.execPath, ['-e', host], { stdio: ['ignore', 'pipe', 'inherit'] });
  const pid = await new Promise<number>((resolve) => parent.stdout.on('data', (chunk: Buffer) => resolve(Number(/engine (\d+)/.exec(chunk.toString())?.[1]))));
  assert.ok(alive(pid));
  parent.kill('SIGKILL');
  await until('the engine process to exit', () => !alive(pid));
  const runs = listRuns(runsDir);
  assert.equal(runs.length, 1);
  assert.ok(runs[0].ok && runs[0].record.status === 'cancelled', JSON.stringify(runs[0].ok && runs[0].record.status));
});
