import { describe, expect, it } from 'vitest';
import { ConsoleInputBudget, utf8Boundary } from './console-input-budget';
import { SocketRateLimiter } from '../server/socket/rate-limits';
import { TokenBucket } from './token-bucket';

describe('TokenBucket', () => {
  it('spends up to its burst, refills at its rate, never above the burst', () => {
    let t = 0;
    const b = new TokenBucket({ burst: 10, perSecond: 4 }, () => t);
    for (let i = 0; i < 10; i++) expect(b.take()).toBe(true);
    expect(b.take()).toBe(false);
    t += 500; // +2
    expect(b.take(3)).toBe(false);
    expect(b.take(2)).toBe(true);
    t += 60_000;
    expect(b.available()).toBe(10);
    expect(b.takeUpTo(25)).toBe(10);
    expect(b.takeUpTo(1)).toBe(0);
  });

  it('refuses a limit that bounds nothing', () => {
    expect(() => new TokenBucket({ burst: 0, perSecond: 1 })).toThrow(/positive burst and rate/);
    expect(() => new TokenBucket({ burst: 1, perSecond: Number.NaN })).toThrow(/positive burst and rate/);
  });
});

describe('SocketRateLimiter', () => {
  it('names the limit that was passed: frames, bytes or control frames', () => {
    let t = 0;
    const limits = { frames: { burst: 3, perSecond: 1 }, bytes: { burst: 2048, perSecond: 1024 }, control: { burst: 1, perSecond: 1 } };
    const frames = new SocketRateLimiter(limits, () => t);
    expect([frames.frame(1), frames.frame(1), frames.frame(1)]).toEqual([null, null, null]);
    expect(frames.frame(1)).toBe('[lab-socket] this page sent over 1 messages/s (bursts of 3); closed, it reconnects after a pause');
    t += 1000;
    expect(frames.frame(1)).toBeNull();
    const bytes = new SocketRateLimiter(limits, () => t);
    expect(bytes.frame(2000)).toBeNull();
    expect(bytes.frame(100)).toBe('[lab-socket] this page sent over 1 KiB/s (bursts of 2 KiB); closed, it reconnects after a pause');
    expect(bytes.controlFrame()).toBeNull();
    expect(bytes.controlFrame()).toMatch(/^\[lab-socket\] over 1 WebSocket pings or pongs\/s \(bursts of 1\)/);
  });
});

describe('ConsoleInputBudget', () => {
  const enc = (s: string) => new TextEncoder().encode(s);

  it('lets through what the budget holds and never cuts a UTF-8 character in two', () => {
    let t = 0;
    const budget = new ConsoleInputBudget({ burst: 5, perSecond: 1 }, () => t);
    // "aaaé" is 5 bytes; then "ü" (2 bytes) with 0 left.
    expect(new TextDecoder().decode(budget.admit(enc('aaaé')))).toBe('aaaé');
    expect(budget.admit(enc('ü'))).toHaveLength(0);
    t += 3000; // 3 bytes: "a" and "é" (1 + 2), not half of the "€" (3 bytes) after them
    expect(new TextDecoder().decode(budget.admit(enc('aé€')))).toBe('aé');
  });

  it('finds character boundaries', () => {
    const bytes = enc('a€b'); // 61 e2 82 ac 62
    expect([0, 1, 2, 3, 4, 5].map((i) => utf8Boundary(bytes, i))).toEqual([0, 1, 1, 1, 4, 5]);
  });
});
