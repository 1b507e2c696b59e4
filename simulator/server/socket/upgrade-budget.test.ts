import { describe, expect, it } from 'vitest';
import { UpgradeBudget } from './upgrade-budget';

describe('upgrade budget', () => {
  it('gives each session its burst, then one socket per interval, apart from other sessions', () => {
    let t = 0;
    const budget = new UpgradeBudget({ burst: 3, perSecond: 0.5 }, () => t);
    expect([1, 2, 3, 4].map(() => budget.take('lab-a', 's1'))).toEqual([true, true, true, false]);
    expect(budget.take('lab-a', 's2')).toBe(true);
    expect(budget.take('lab-b', 's1')).toBe(true);
    t = 1999;
    expect(budget.take('lab-a', 's1')).toBe(false);
    t = 2000;
    expect(budget.take('lab-a', 's1')).toBe(true);
    expect(budget.retryAfterS).toBe(2);
  });

  it('forgets sessions that are quiet again once it tracks many', () => {
    let t = 0;
    const budget = new UpgradeBudget({ burst: 2, perSecond: 1 }, () => t);
    for (let i = 0; i < 1000; i++) budget.take('lab', `s${i}`);
    expect(budget.size).toBe(1000);
    t = 5000;
    budget.take('lab', 'new');
    expect(budget.size).toBe(1);
  });
});
