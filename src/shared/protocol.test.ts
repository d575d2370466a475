// Tests that messages from the webview and from engine processes are checked against the protocol before use, the inside view's included.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ENGINE_REQUESTS, hostToEngineSchema, parseEngineMessage, webviewToHostSchema } from './protocol';

test('well-formed webview messages pass', () => {
  for (const message of [
    { type: 'webview/ready' },
    { type: 'run/select', runId: '20261125-151206-energy-csv-gru-a2dd' },
    { type: 'run/compare', runIds: ['a1', 'b2'] },
    { type: 'predict/request', requestId: 1, runId: 'a1', prompt: 'The ', topK: 10 },
    { type: 'generate/request', requestId: 2, runId: 'a1', prompt: 'The ', length: 200, temperature: 0.8 },
    { type: 'train/stop', runId: 'a1' },
    { type: 'train/continue', runId: 'a1' },
  ]) {
    assert.ok(webviewToHostSchema.safeParse(message).success, JSON.stringify(message));
  }
});

test('webview messages that could reach the file system or misbehave are refused', () => {
  for (const message of [
    { type: 'run/select', runId: '../../etc' },
    { type: 'run/select', runId: '/etc/passwd' },
    { type: 'run/select', runId: 'a/b' },
    { type: 'run/select', runId: '.seqlab' },
    { type: 'run/compare', runIds: Array.from({ length: 21 }, (_, i) => `r${i}`) },
    { type: 'predict/request', requestId: 1, runId: 'a1', prompt: '', topK: 10 },
    { type: 'predict/request', requestId: 1, runId: 'a1', prompt: 'x'.repeat(100_001), topK: 10 },
    { type: 'predict/request', requestId: -1, runId: 'a1', prompt: 'x', topK: 10 },
    { type: 'generate/request', requestId: 2, runId: 'a1', prompt: 'x', length: 1e9, temperature: 0.8 },
    { type: 'generate/request', requestId: 2, runId: 'a1', prompt: 'x', length: 10, temperature: Number.NaN },
    { type: 'train/continue', runId: '../a1' },
    { type: 'run/delete', runId: 'a1' },
    'run/select',
    null,
  ]) {
    assert.equal(webviewToHostSchema.safeParse(message).success, false, JSON.stringify(message));
  }
});

test('engine messages are checked: unknown or malformed ones are null', () => {
  assert.deepEqual(parseEngineMessage({ type: 'engine/ready' }), { type: 'engine/ready' });
  assert.equal(parseEngineMessage({ type: 'train/progress', progress: { runId: 'x' } }), null);
  assert.equal(parseEngineMessage({ type: 'train/finished', runDir: '/r', record: { id: 'x', status: 'exploded' } }), null);
  assert.equal(parseEngineMessage({ type: 'shell/exec', command: 'rm -rf /' }), null);
  assert.equal(parseEngineMessage('engine/ready'), null);
});

test("host-to-engine messages are checked: the request envelope, then each method's params by its own schema", () => {
  assert.ok(hostToEngineSchema.safeParse({ type: 'request', id: 1, method: 'predict/next', params: {} }).success, 'the envelope alone');
  assert.equal(hostToEngineSchema.safeParse({ type: 'request', id: 1, method: 'shell/exec', params: {} }).success, false);
  assert.equal(hostToEngineSchema.safeParse({ type: 'predict/next', id: 1, runDir: '/r', prompt: 'a', topK: 5 }).success, false, 'the old unenveloped form');
  assert.equal(hostToEngineSchema.safeParse({ type: 'train/start', request: { runsDir: '/r' } }).success, false);
  const next = ENGINE_REQUESTS['predict/next'].params;
  assert.ok(next.safeParse({ runDir: '/r', prompt: 'a', topK: 5 }).success);
  assert.equal(next.safeParse({ runDir: '/r', prompt: 'a', topK: 0 }).success, false);
  const generate = ENGINE_REQUESTS['predict/generate'].params;
  assert.ok(generate.safeParse({ runDir: '/r', prompt: 'a', length: 10, temperature: 0.8, topK: 0, seed: 1 }).success);
  assert.equal(
    generate.safeParse({ runDir: '/r', prompt: 'a', length: 10, temperature: 6, topK: 0, seed: 1 }).success,
    false,
    "temperature over the table's 5",
  );
  assert.equal(generate.safeParse({ runDir: '/r', prompt: 'a', length: 10, temperature: 1, topK: 0, seed: 1, stop: 'paragraph' }).success, false);
});

test("replies are checked against the method's result schema", () => {
  const forecast = ENGINE_REQUESTS['predict/forecast'].result;
  assert.ok(forecast.safeParse({ target: 'Temp', forecast: [1, 2], time: null, lower: { '80': [0, 1] }, upper: { '80': [2, 3] }, rows: ['1,2'] }).success);
  assert.equal(forecast.safeParse({ target: 'Temp', forecast: [1, 2], time: null, lower: {}, upper: {} }).success, false, 'rows missing');
  assert.equal(
    ENGINE_REQUESTS['predict/next'].result.safeParse({ topK: [{ token: 'a' }], unknownTokens: 0 }).success,
    false,
    'a token without its probability',
  );
  assert.ok(parseEngineMessage({ type: 'reply', id: 3, result: { anything: true } }), 'the envelope leaves the result to the method');
  assert.equal(parseEngineMessage({ type: 'reply/error', id: 3 }), null);
});

test("the inside view's messages: its requests' params and the packed activations they return, and the dashboard's unit clicks", () => {
  assert.ok(hostToEngineSchema.safeParse({ type: 'request', id: 1, method: 'inspect/activations', params: {} }).success, 'an inspect request is a request');
  const activations = ENGINE_REQUESTS['inspect/activations'].params;
  assert.ok(activations.safeParse({ runDir: '/r', text: 'abc', layer: 0, state: 'c', rows: { start: 0, end: 3 } }).success);
  assert.equal(activations.safeParse({ runDir: '/r', text: '' }).success, false, 'no text');
  assert.equal(activations.safeParse({ runDir: '/r', text: 'x'.repeat(100_001) }).success, false, 'more than a request carries');
  assert.equal(activations.safeParse({ runDir: '/r', text: 'a', state: 'g' }).success, false);
  assert.equal(ENGINE_REQUESTS['inspect/units'].params.safeParse({ runDir: '/r', text: 'abc', span: { start: 1, end: 0 } }).success, false, 'an empty span');
  const packed = {
    tokens: ['a', 'b'],
    offsets: [0, 1],
    unknown: [],
    stream: { scoring: 'carried', seqLen: 8 },
    cell: 'gru',
    layers: 1,
    layer: 0,
    state: 'h',
    units: 2,
    values: new Float32Array(4),
    valuesFrom: 0,
  };
  const result = ENGINE_REQUESTS['inspect/activations'].result;
  assert.ok(result.safeParse(packed).success);
  assert.equal(result.safeParse({ ...packed, values: new Float32Array(3) }).success, false, 'a row cut short');
  assert.equal(result.safeParse({ ...packed, values: [0, 0, 0, 0] }).success, false, 'values not packed');
  assert.ok(webviewToHostSchema.safeParse({ type: 'inside/showUnit', layer: 0, state: 'h', unit: 17 }).success);
  for (const bad of [
    { layer: -1, state: 'h', unit: 1 },
    { layer: 0, state: 'x', unit: 1 },
    { layer: 0, state: 'h', unit: 1.5 },
  ]) {
    assert.equal(webviewToHostSchema.safeParse({ type: 'inside/showUnit', ...bad }).success, false, JSON.stringify(bad));
  }
});
