// The fuzz harness's watchdog: a synchronous hang ends the process with the path that replays it, and the replay prints that input; an asynchronous hang fails the property.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { fuzzSurface } from './fuzzHelpers';
import { REPO_ROOT } from './testHelpers';

/** Runs one fuzzed surface in a child process whose `action` (source text) receives integers; a hang counts after 1 s. */
function runSurface(action: string, env: Record<string, string> = {}) {
  // The child is this same file (bundled with fast-check and the harness), run as the probe: see the end of the file.
  return spawnSync(process.execPath, [__filename], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 60_000,
    // Without NODE_TEST_CONTEXT the child's test runner reports as a plain script does, not to this runner.
    env: {
      ...process.env,
      NODE_TEST_CONTEXT: '',
      SEQLAB_HANG_PROBE: action,
      SEQLAB_FUZZ_HANG_MS: '1000',
      SEQLAB_FUZZ_RUNS: '50',
      SEQLAB_FUZZ_SEED: '7',
      SEQLAB_FUZZ_REPORT: '',
      ...env,
    },
  });
}

/** An action that never returns for multiples of 5. */
const SPINS_ON_MULTIPLES_OF_5 = '(n) => { if (n % 5 === 0) for (;;) {} }';

if (!process.env.SEQLAB_HANG_PROBE) {
  test('a synchronous hang kills the process and names the seed and path that replay it; the replay prints the input', () => {
    const hung = runSurface(SPINS_ON_MULTIPLES_OF_5);
    assert.equal(hung.signal, 'SIGKILL', hung.stderr);
    const reported = /fuzz: hang probe: hang: input (\d+) has not returned after \d+ s; replay it with SEQLAB_FUZZ_SEED=7 SEQLAB_FUZZ_PATH=(\d+)/.exec(
      hung.stderr,
    );
    assert.ok(reported, hung.stderr);
    assert.equal(reported[1], reported[2]);

    const replayed = runSurface(SPINS_ON_MULTIPLES_OF_5, { SEQLAB_FUZZ_PATH: reported[2] });
    assert.equal(replayed.signal, 'SIGKILL', replayed.stderr);
    const input = /fuzz: hang probe: input (\d+)\n/.exec(replayed.stderr);
    assert.ok(input, replayed.stderr);
    assert.equal(Number(input[1]) % 5, 0, `the replayed input ${input[1]} is one that hangs`);
    assert.match(replayed.stderr, new RegExp(`SEQLAB_FUZZ_PATH=${reported[2]}\\b`));
  });

  test('an asynchronous hang fails the property by its timeout, without killing the process', () => {
    const result = runSurface('(n) => (n % 5 === 0 ? new Promise(() => undefined) : undefined)');
    assert.equal(result.signal, null, result.stderr);
    assert.equal(result.status, 1);
    assert.match(result.stdout, /the input has not returned after 1000 ms/);
  });

  test('inputs that work or are refused pass', () => {
    const result = runSurface('() => undefined');
    assert.equal(result.status, 0, result.stdout + result.stderr);
  });
}

// As the probe of the tests above: one surface whose action is the source text in SEQLAB_HANG_PROBE.
if (process.env.SEQLAB_HANG_PROBE) {
  fuzzSurface('hang probe', fc.integer({ min: 0, max: 1e9 }), new Function(`return ${process.env.SEQLAB_HANG_PROBE}`)() as (n: number) => unknown);
}
