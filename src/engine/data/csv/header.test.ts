// Unit tests for detecting a header row of column names over columns of text.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeCsvColumns } from './columns';
import { parseCsvTable } from './tokenize';

describe('a header row of names over text', () => {
  it('reads name,city,color over data rows as a header, and names the columns by it', () => {
    const text = 'name,city,color\nAlice,Paris,red\nBob,London,blue\nCarol,Rome,green\n';
    assert.equal(parseCsvTable(text).hasHeader, true);
    assert.deepEqual(
      describeCsvColumns(text).map((column) => column.name),
      ['name', 'city', 'color'],
    );
  });

  it('reads a header over sentences, and over a column of a few repeated values', () => {
    assert.equal(parseCsvTable('label\ttext\nham\tsee you at eight\nspam\tWin a prize now!\nham\tok\n').hasHeader, true);
    assert.equal(parseCsvTable('Review Text,Sentiment\nGreat phone,positive\nBroke in a day,negative\nMeh,negative\nLove it,positive\n').hasHeader, true);
  });

  it('does not read labelled data as a header, in either column order', () => {
    assert.equal(parseCsvTable('ham\tOk lar... Joking wif u oni...\nspam\tFree entry in 2 a wkly comp\nham\tU dun say so early hor\n').hasHeader, false);
    assert.equal(parseCsvTable('ham\tok then\nspam\tfree entry\nham\tsee you\n').hasHeader, false);
    assert.equal(parseCsvTable('Good case, Excellent value.\t1\nThe mic is great.\t1\nBroke at once.\t-1\n').hasHeader, false);
  });

  it('does not read a first row of names as a header when its values recur below', () => {
    assert.equal(parseCsvTable('ann,rome\nbob,oslo\ncid,rome\n').hasHeader, false);
  });
});
