// Mock VS Code host for the dashboard harness: themes, acquireVsCodeApi, canned answers from fixtures, and streaming.
/* global window, document, sessionStorage, location, performance, requestAnimationFrame, URLSearchParams */
'use strict';

(() => {
  const FONT = 'system-ui, "Ubuntu", "Droid Sans", sans-serif';
  const MONO = '"Droid Sans Mono", "DejaVu Sans Mono", monospace';
  const COMMON = { 'font-family': FONT, 'font-size': '13px', 'font-weight': 'normal', 'editor-font-family': MONO, 'editor-font-size': '13px' };

  /** `--vscode-*` values from VS Code's Dark+, Light+ and Dark High Contrast themes. */
  const THEMES = {
    dark: {
      kind: 'vscode-dark',
      vars: {
        ...COMMON,
        'editor-background': '#1e1e1e',
        'editor-foreground': '#d4d4d4',
        foreground: '#cccccc',
        descriptionForeground: 'rgba(204, 204, 204, 0.7)',
        focusBorder: '#007fd4',
        errorForeground: '#f48771',
        'widget-border': '#303031',
        'panel-border': 'rgba(128, 128, 128, 0.35)',
        'panel-background': '#1e1e1e',
        'button-background': '#0e639c',
        'button-foreground': '#ffffff',
        'button-hoverBackground': '#1177bb',
        'button-border': 'transparent',
        'button-secondaryBackground': '#3a3d41',
        'button-secondaryForeground': '#ffffff',
        'button-secondaryHoverBackground': '#45494e',
        'input-background': '#3c3c3c',
        'input-foreground': '#cccccc',
        'input-placeholderForeground': '#a6a6a6',
        'dropdown-background': '#3c3c3c',
        'dropdown-foreground': '#f0f0f0',
        'dropdown-border': '#3c3c3c',
        'checkbox-background': '#3c3c3c',
        'checkbox-foreground': '#f0f0f0',
        'checkbox-border': '#6b6b6b',
        'sideBar-background': '#252526',
        'sideBarTitle-foreground': '#bbbbbb',
        'editorWidget-background': '#252526',
        'list-hoverBackground': '#2a2d2e',
        'list-activeSelectionBackground': '#04395e',
        'list-activeSelectionForeground': '#ffffff',
        'list-inactiveSelectionBackground': '#37373d',
        'badge-background': '#4d4d4d',
        'badge-foreground': '#ffffff',
        'progressBar-background': '#0e70c0',
        'textLink-foreground': '#3794ff',
        'textLink-activeForeground': '#3794ff',
        'textCodeBlock-background': 'rgba(10, 10, 10, 0.4)',
        'textBlockQuote-background': 'rgba(127, 127, 127, 0.1)',
        'inputValidation-errorBackground': '#5a1d1d',
        'inputValidation-errorBorder': '#be1100',
        'editorWarning-foreground': '#cca700',
        'testing-iconPassed': '#73c991',
        'testing-iconFailed': '#f14c4c',
        'charts-foreground': '#cccccc',
        'charts-lines': 'rgba(204, 204, 204, 0.5)',
        'charts-red': '#f14c4c',
        'charts-blue': '#3794ff',
        'charts-yellow': '#cca700',
        'charts-orange': '#d18616',
        'charts-green': '#89d185',
        'charts-purple': '#b180d7',
        'scrollbarSlider-background': 'rgba(121, 121, 121, 0.4)',
        'scrollbarSlider-hoverBackground': 'rgba(100, 100, 100, 0.7)',
        'scrollbarSlider-activeBackground': 'rgba(191, 191, 191, 0.4)',
      },
    },
    light: {
      kind: 'vscode-light',
      vars: {
        ...COMMON,
        'editor-background': '#ffffff',
        'editor-foreground': '#000000',
        foreground: '#616161',
        descriptionForeground: '#717171',
        focusBorder: '#0090f1',
        errorForeground: '#a1260d',
        'widget-border': '#d4d4d4',
        'panel-border': 'rgba(128, 128, 128, 0.35)',
        'panel-background': '#ffffff',
        'button-background': '#007acc',
        'button-foreground': '#ffffff',
        'button-hoverBackground': '#0062a3',
        'button-border': 'transparent',
        'button-secondaryBackground': '#5f6a79',
        'button-secondaryForeground': '#ffffff',
        'button-secondaryHoverBackground': '#4c5561',
        'input-background': '#ffffff',
        'input-foreground': '#616161',
        'input-placeholderForeground': '#767676',
        'dropdown-background': '#ffffff',
        'dropdown-foreground': '#616161',
        'dropdown-border': '#cecece',
        'checkbox-background': '#ffffff',
        'checkbox-foreground': '#616161',
        'checkbox-border': '#919191',
        'sideBar-background': '#f3f3f3',
        'sideBarTitle-foreground': '#6f6f6f',
        'editorWidget-background': '#f3f3f3',
        'list-hoverBackground': '#e8e8e8',
        'list-activeSelectionBackground': '#0060c0',
        'list-activeSelectionForeground': '#ffffff',
        'list-inactiveSelectionBackground': '#e4e6f1',
        'badge-background': '#c4c4c4',
        'badge-foreground': '#333333',
        'progressBar-background': '#0e70c0',
        'textLink-foreground': '#006ab1',
        'textLink-activeForeground': '#006ab1',
        'textCodeBlock-background': 'rgba(220, 220, 220, 0.4)',
        'textBlockQuote-background': 'rgba(127, 127, 127, 0.1)',
        'inputValidation-errorBackground': '#f2dede',
        'inputValidation-errorBorder': '#be1100',
        'editorWarning-foreground': '#bf8803',
        'testing-iconPassed': '#388a34',
        'testing-iconFailed': '#f14c4c',
        'charts-foreground': '#616161',
        'charts-lines': 'rgba(97, 97, 97, 0.5)',
        'charts-red': '#e51400',
        'charts-blue': '#1a85ff',
        'charts-yellow': '#bf8803',
        'charts-orange': '#d18616',
        'charts-green': '#388a34',
        'charts-purple': '#652d90',
        'scrollbarSlider-background': 'rgba(100, 100, 100, 0.4)',
        'scrollbarSlider-hoverBackground': 'rgba(100, 100, 100, 0.7)',
        'scrollbarSlider-activeBackground': 'rgba(0, 0, 0, 0.6)',
      },
    },
    'high-contrast': {
      kind: 'vscode-high-contrast',
      vars: {
        ...COMMON,
        'editor-background': '#000000',
        'editor-foreground': '#ffffff',
        foreground: '#ffffff',
        descriptionForeground: 'rgba(255, 255, 255, 0.7)',
        focusBorder: '#f38518',
        contrastBorder: '#6fc3df',
        contrastActiveBorder: '#f38518',
        errorForeground: '#f48771',
        'panel-border': '#6fc3df',
        'panel-background': '#000000',
        'button-background': '#000000',
        'button-foreground': '#ffffff',
        'button-border': '#6fc3df',
        'button-secondaryBackground': '#000000',
        'button-secondaryForeground': '#ffffff',
        'input-background': '#000000',
        'input-foreground': '#ffffff',
        'input-placeholderForeground': 'rgba(255, 255, 255, 0.7)',
        'dropdown-background': '#000000',
        'dropdown-foreground': '#ffffff',
        'dropdown-border': '#6fc3df',
        'checkbox-background': '#000000',
        'checkbox-foreground': '#ffffff',
        'checkbox-border': '#6fc3df',
        'sideBar-background': '#000000',
        'editorWidget-background': '#0c141f',
        'list-activeSelectionBackground': '#000000',
        'list-inactiveSelectionBackground': '#000000',
        'badge-background': '#000000',
        'badge-foreground': '#ffffff',
        'progressBar-background': '#6fc3df',
        'textLink-foreground': '#21a6ff',
        'textLink-activeForeground': '#21a6ff',
        'textCodeBlock-background': '#000000',
        'textBlockQuote-background': '#000000',
        'inputValidation-errorBackground': '#000000',
        'inputValidation-errorBorder': '#f48771',
        'editorWarning-foreground': '#fff000',
        'testing-iconPassed': '#73c991',
        'testing-iconFailed': '#f14c4c',
        'charts-foreground': '#ffffff',
        'charts-lines': 'rgba(255, 255, 255, 0.5)',
        'charts-red': '#f14c4c',
        'charts-blue': '#3794ff',
        'charts-yellow': '#cca700',
        'charts-orange': '#d18616',
        'charts-green': '#89d185',
        'charts-purple': '#b180d7',
      },
    },
  };

  /** Applies a theme the way VS Code does: variables on <html>, kind as body class and attribute. */
  function applyTheme(name) {
    const theme = THEMES[name] ?? THEMES.dark;
    const html = document.documentElement;
    html.removeAttribute('style');
    for (const [key, value] of Object.entries(theme.vars)) html.style.setProperty(`--vscode-${key}`, value);
    const setBody = () => {
      document.body.classList.remove('vscode-light', 'vscode-dark', 'vscode-high-contrast');
      document.body.classList.add(theme.kind);
      document.body.setAttribute('data-vscode-theme-kind', theme.kind);
    };
    if (document.body) setBody();
    else document.addEventListener('DOMContentLoaded', setBody, { once: true });
  }

  const fixtures = window.HARNESS_FIXTURES ?? { runs: [] };
  const params = new URLSearchParams(location.search);
  applyTheme(params.get('theme') ?? 'dark');
  if (params.has('empty')) fixtures.runs = [];

  /** Messages the webview posted, for tests. */
  const posted = [];
  const latencyMs = Number(params.get('latency') ?? 30);
  const stateKey = 'seqlab-harness-state';

  function send(message) {
    window.postMessage(message, '*');
  }

  function runById(id) {
    return fixtures.runs.find((run) => run.item.id === id);
  }

  function sendState(selectedRunId = null) {
    send({ type: 'dashboard/state', runs: fixtures.runs.map((run) => run.item), selectedRunId });
  }

  /** Next-token probabilities after the prompt's last character, from the run's bigram counts. */
  function nextTokenProbabilities(bigram, prompt, temperature = 1) {
    const previous = Math.max(0, bigram.vocab.indexOf(prompt[prompt.length - 1]));
    const weights = bigram.counts[previous].map((count) => Math.pow(count + 0.01, 1 / Math.max(temperature, 1e-3)));
    const total = weights.reduce((a, b) => a + b, 0);
    return weights.map((weight, i) => ({ token: bigram.vocab[i], prob: weight / total }));
  }

  let seed = 7;
  function random() {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  }

  function generate(bigram, prompt, length, temperature) {
    let text = '';
    for (let i = 0; i < length; i++) {
      const probabilities = nextTokenProbabilities(bigram, prompt + text, temperature || 1e-3);
      let pick = random();
      const choice = probabilities.find((p) => (pick -= p.prob) <= 0) ?? probabilities[probabilities.length - 1];
      text += choice.token === '<unk>' ? '' : choice.token;
    }
    return text;
  }

  /** Made-up class probabilities for a text: a softmax over scores hashed from its words, the same for the same text. */
  function classProbabilities(labels, text) {
    const scores = labels.map((label, index) => {
      let score = 0;
      for (const word of text.toLowerCase().split(/\W+/).filter(Boolean)) {
        let hash = index + 1;
        for (const char of word + label) hash = (hash * 31 + char.charCodeAt(0)) % 1000;
        score += hash / 250 - 2;
      }
      return score;
    });
    const top = Math.max(...scores);
    const weights = scores.map((score) => Math.exp(score - top));
    const total = weights.reduce((a, b) => a + b, 0);
    return labels.map((label, i) => ({ label, prob: weights[i] / total })).sort((a, b) => b.prob - a.prob);
  }

  function answer(message) {
    const run = 'runId' in message ? runById(message.runId) : undefined;
    switch (message.type) {
      case 'webview/ready':
        return sendState(null);
      case 'run/select':
        if (!run) return;
        send({ type: 'run/metrics', runId: run.item.id, lines: run.lines, reset: true });
        if (run.forecast) send({ type: 'run/forecast', runId: run.item.id, chart: run.forecast });
        return;
      case 'run/compare':
        for (const id of message.runIds) {
          const compared = runById(id);
          if (compared) send({ type: 'run/metrics', runId: id, lines: compared.lines, reset: true });
        }
        return;
      case 'predict/request':
        if (!run?.bigram) return send({ type: 'request/error', requestId: message.requestId, message: 'This run has no model to predict with.' });
        return send({
          type: 'predict/result',
          requestId: message.requestId,
          runId: run.item.id,
          topK: nextTokenProbabilities(run.bigram, message.prompt)
            .sort((a, b) => b.prob - a.prob)
            .slice(0, message.topK),
        });
      case 'generate/request':
        if (!run?.bigram) return send({ type: 'request/error', requestId: message.requestId, message: 'This run has no model to generate with.' });
        return send({
          type: 'generate/result',
          requestId: message.requestId,
          runId: run.item.id,
          text: generate(run.bigram, message.prompt, message.length, message.temperature),
        });
      case 'classify/request':
        if (!run?.labels) return send({ type: 'request/error', requestId: message.requestId, message: 'This run has no classifier.' });
        return send({ type: 'classify/result', requestId: message.requestId, runId: run.item.id, labels: classProbabilities(run.labels, message.text) });
      case 'train/stop':
        if (!run) return;
        run.item = { ...run.item, status: 'cancelled', message: 'Stopped by the user; the best checkpoint was kept.' };
        return sendState(null);
    }
  }

  window.acquireVsCodeApi = () => ({
    postMessage(message) {
      posted.push(message);
      console.log('[webview → host]', JSON.stringify(message));
      setTimeout(() => answer(message), latencyMs);
    },
    getState() {
      return JSON.parse(sessionStorage.getItem(stateKey) ?? 'null') ?? undefined;
    },
    setState(state) {
      sessionStorage.setItem(stateKey, JSON.stringify(state));
    },
  });

  /**
   * Streams `count` training reports (and an evaluation every `evalEvery`) to the live run as fast as possible,
   * one `run/metrics` append and one `run/progress` per report. Resolves with timing and frame counts.
   */
  function stream(count, { runId = 'harness-live-english', evalEvery = 100 } = {}) {
    const run = runById(runId);
    let step = run?.lines.reduce((last, line) => Math.max(last, line.step), 0) ?? 0;
    let frames = 0;
    let counting = true;
    const countFrames = () => {
      frames++;
      if (counting) requestAnimationFrame(countFrames);
    };
    requestAnimationFrame(countFrames);
    const start = performance.now();
    for (let i = 0; i < count; i++) {
      step++;
      const loss = 1.2 + 3 * Math.exp(-step / 1500) + 0.15 * Math.sin(step / 7) * random();
      const lines = [{ kind: 'train', step, epoch: step / 3000, loss, seconds: step * 0.01 }];
      if (step % evalEvery === 0) lines.push({ kind: 'val', step, epoch: step / 3000, valLoss: loss + 0.1, seconds: step * 0.01 });
      send({ type: 'run/metrics', runId, lines, reset: false });
      send({
        type: 'run/progress',
        progress: {
          runId,
          step,
          epoch: step / 3000,
          epochs: 10,
          trainLoss: loss,
          valLoss: loss + 0.1,
          throughput: 5120,
          throughputUnit: 'tokens/s',
          seconds: step * 0.01,
          etaSeconds: Math.max(0, 300 - step * 0.01),
        },
      });
    }
    const postedMs = performance.now() - start;
    // Messages are handled in order, so this marker arrives after all of them; then wait for the redraw frame.
    return new Promise((resolve) => {
      const done = (event) => {
        if (event.data?.type !== 'harness/streamed') return;
        window.removeEventListener('message', done);
        const handledMs = performance.now() - start;
        requestAnimationFrame(() =>
          requestAnimationFrame(() => {
            counting = false;
            resolve({ postedMs, handledMs, totalMs: performance.now() - start, frames, lastStep: step });
          }),
        );
      };
      window.addEventListener('message', done);
      send({ type: 'harness/streamed' });
    });
  }

  window.harness = { posted, send, sendState, applyTheme, stream, fixtures };
})();
