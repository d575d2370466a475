// Tests of the confusion matrix's shading: row shares, fill strength, and the text colour chosen for contrast on a filled cell.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blend, contrastRatio, fillAlpha, MAX_FILL_ALPHA, MIN_FILL_ALPHA, parseRgb, readableTextColor, rowShares } from '../../webview/confusionShading';

test('each row becomes shares of its own total, and an empty row stays all zero', () => {
  assert.deepEqual(
    rowShares([
      [3, 1],
      [0, 0],
      [2, 6],
    ]),
    [
      [0.75, 0.25],
      [0, 0],
      [0.25, 0.75],
    ],
  );
  assert.deepEqual(rowShares([]), []);
});

test('a cell without rows has no fill; any other is at least faintly filled, up to the strongest for a whole row', () => {
  assert.equal(fillAlpha(0), 0);
  assert.equal(fillAlpha(Number.NaN), 0);
  assert.ok(fillAlpha(0.001) >= MIN_FILL_ALPHA);
  assert.equal(fillAlpha(1), MAX_FILL_ALPHA);
  assert.ok(fillAlpha(0.3) < fillAlpha(0.6), 'more of the row, stronger');
  assert.equal(fillAlpha(2), MAX_FILL_ALPHA, 'clamped');
});

test('colours are read from rgb() and rgba(), and blended over the page', () => {
  assert.deepEqual(parseRgb('rgb(26, 133, 255)'), { r: 26, g: 133, b: 255, a: 1 });
  assert.deepEqual(parseRgb('rgba(204, 204, 204, 0.7)'), { r: 204, g: 204, b: 204, a: 0.7 });
  assert.deepEqual(parseRgb('not a colour'), { r: 128, g: 128, b: 128, a: 1 });
  assert.deepEqual(blend({ r: 255, g: 0, b: 0 }, 0.5, { r: 0, g: 0, b: 255 }), { r: 127.5, g: 0, b: 127.5 });
});

test('contrast ratios follow WCAG: 21 for black on white, 1 for a colour on itself', () => {
  assert.ok(Math.abs(contrastRatio({ r: 0, g: 0, b: 0 }, { r: 255, g: 255, b: 255 }) - 21) < 1e-9);
  assert.equal(contrastRatio({ r: 90, g: 20, b: 200 }, { r: 90, g: 20, b: 200 }), 1);
});

test('text on a strong fill takes the colour that stands out: white on a strong blue, the dark foreground on a faint fill', () => {
  const light = { foreground: 'rgb(97, 97, 97)', background: 'rgb(255, 255, 255)' };
  const candidates = [light.foreground, light.background];
  assert.equal(readableTextColor('rgb(26, 133, 255)', MAX_FILL_ALPHA, light.background, candidates), light.background);
  assert.equal(readableTextColor('rgb(229, 20, 0)', MIN_FILL_ALPHA, light.background, candidates), light.foreground);
  // Dark theme: on a faint fill the light foreground, even translucent, reads better than the dark page colour.
  assert.equal(readableTextColor('rgb(241, 76, 76)', 0.1, 'rgb(30, 30, 30)', ['rgba(204, 204, 204, 0.9)', 'rgb(30, 30, 30)']), 'rgba(204, 204, 204, 0.9)');
});
