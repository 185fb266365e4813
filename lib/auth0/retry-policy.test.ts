import { describe, expect, it } from 'vitest';
import { backoffDelayMs, rateLimitDelayMs, withRateLimitJitter } from './retry-policy';

const NOW = Date.parse('2026-03-01T12:00:00Z');

describe('rateLimitDelayMs', () => {
  it.each([
    ['Retry-After seconds', { 'retry-after': '3' }, 3000],
    ['Retry-After HTTP date', { 'retry-after': new Date(NOW + 5000).toUTCString() }, 5000],
    ['Retry-After wins over the reset', { 'retry-after': '1', 'x-ratelimit-reset': String(NOW / 1000 + 30) }, 1000],
    ['x-ratelimit-reset epoch seconds', { 'x-ratelimit-reset': String(NOW / 1000 + 12) }, 12_000],
    ['a reset in the past', { 'x-ratelimit-reset': String(NOW / 1000 - 5) }, 0],
    ['garbage', { 'retry-after': 'soon', 'x-ratelimit-reset': 'later' }, null],
    ['nothing', {}, null],
  ])('%s', (_, headers, expected) => {
    expect(rateLimitDelayMs(new Headers(headers), NOW)).toBe(expected);
  });
});

describe('backoffDelayMs', () => {
  it.each([
    [0, 0, 100],
    [0, 1, 200],
    [1, 0, 200],
    [3, 1, 1600],
    [10, 1, 2000],
  ])('retry %i with random %f waits %i ms', (retry, random, expected) => {
    expect(backoffDelayMs(retry, { baseMs: 200, maxMs: 2000 }, () => random)).toBe(expected);
  });
});

describe('withRateLimitJitter', () => {
  it('adds at most 10 % and at most 250 ms', () => {
    expect(withRateLimitJitter(1000, () => 1)).toBe(1100);
    expect(withRateLimitJitter(30_000, () => 1)).toBe(30_250);
    expect(withRateLimitJitter(1000, () => 0)).toBe(1000);
  });
});
