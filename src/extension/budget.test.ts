// Tests of the extension's training budgets: the default time budget, what overrides it, "Continue training", and budget answers.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { continuationBudget, withDefaultBudget } from './budget';
import { DEFAULT_EPOCHS } from '../shared/options';

describe('withDefaultBudget', () => {
  const settings = { cell: 'lstm' as const, hidden: 128, epochs: 0, maxSeconds: 0 };

  it('gives the defaults the default time budget', () => {
    assert.deepEqual(withDefaultBudget(settings, 60), { ...settings, maxSeconds: 60 });
  });

  it('applies to options that set no budget of their own', () => {
    assert.deepEqual(withDefaultBudget(settings, 60, { hidden: 32 }), { ...settings, hidden: 32, maxSeconds: 60 });
  });

  it('never overrides a budget in the options, even "no limit"', () => {
    assert.equal(withDefaultBudget(settings, 60, { maxSeconds: 5 }).maxSeconds, 5);
    assert.equal(withDefaultBudget(settings, 60, { maxSeconds: 0 }).maxSeconds, 0);
    assert.deepEqual(withDefaultBudget(settings, 60, { epochs: 3 }), { ...settings, epochs: 3 });
  });

  it('leaves a budget from the settings alone', () => {
    assert.equal(withDefaultBudget({ ...settings, maxSeconds: 300 }, 60).maxSeconds, 300);
    assert.deepEqual(withDefaultBudget({ ...settings, epochs: 4 }, 60), { ...settings, epochs: 4 });
  });

  it('sets no limit when the default budget is 0', () => {
    assert.deepEqual(withDefaultBudget(settings, 0), settings);
  });
});

describe('continuationBudget', () => {
  it('trains for another default time budget, however many epochs were done', () => {
    assert.deepEqual(continuationBudget(12.5, 60, 10), { epochs: 0, maxSeconds: 60 });
  });

  it('without a default time budget, trains the default epochs again on top of those done', () => {
    assert.deepEqual(continuationBudget(3, 0), { epochs: 3 + DEFAULT_EPOCHS, maxSeconds: 0 });
    assert.deepEqual(continuationBudget(2.4, 0, 5), { epochs: 8, maxSeconds: 0 });
  });
});
