// Tests of the learning-rate schedule: warmup, decay shapes and the end of the budget.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LR_FLOOR } from './config';
import { resolvedSchedule, scheduledLr } from './schedule';

describe('scheduledLr', () => {
  const base = { lr: 0.01, warmup: 10 };

  it('ramps linearly over the warmup steps', () => {
    assert.ok(Math.abs(scheduledLr({ ...base, lrSchedule: 'constant' }, 0, 0) - 0.001) < 1e-12);
    assert.ok(Math.abs(scheduledLr({ ...base, lrSchedule: 'constant' }, 4, 0) - 0.005) < 1e-12);
    assert.equal(scheduledLr({ ...base, lrSchedule: 'constant' }, 9, 0), 0.01);
    assert.equal(scheduledLr({ ...base, lrSchedule: 'constant' }, 500, 0.7), 0.01);
  });

  it('ends the cosine and linear decays at the floor when the budget ends', () => {
    for (const lrSchedule of ['cosine', 'linear'] as const) {
      assert.equal(scheduledLr({ ...base, lrSchedule }, 100, 0), 0.01);
      assert.ok(Math.abs(scheduledLr({ ...base, lrSchedule }, 100, 1) - 0.01 * LR_FLOOR) < 1e-12, lrSchedule);
      assert.ok(Math.abs(scheduledLr({ ...base, lrSchedule }, 100, 3) - 0.01 * LR_FLOOR) < 1e-12, 'progress past the end stays at the floor');
    }
    // Halfway, cosine and linear agree; at a quarter, cosine is still higher.
    const half = (lrSchedule: 'cosine' | 'linear') => scheduledLr({ ...base, lrSchedule }, 100, 0.5);
    assert.ok(Math.abs(half('cosine') - half('linear')) < 1e-12);
    assert.ok(scheduledLr({ ...base, lrSchedule: 'cosine' }, 100, 0.25) > scheduledLr({ ...base, lrSchedule: 'linear' }, 100, 0.25));
  });

  it('decreases monotonically after the warmup', () => {
    let previous = Infinity;
    for (let i = 0; i <= 20; i++) {
      const lr = scheduledLr({ ...base, lrSchedule: 'cosine' }, 50 + i, i / 20);
      assert.ok(lr <= previous);
      previous = lr;
    }
  });
});

describe('resolvedSchedule', () => {
  it('keeps a schedule asked for, and makes auto the cosine decay', () => {
    assert.equal(resolvedSchedule('linear'), 'linear');
    assert.equal(resolvedSchedule('constant'), 'constant');
    assert.equal(resolvedSchedule('auto'), 'cosine');
  });
});
