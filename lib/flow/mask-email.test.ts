import { describe, expect, it } from 'vitest';
import { maskEmail } from './mask-email';

describe('maskEmail', () => {
  it.each([
    ['alice@example.com', 'a***e@example.com'],
    ['bo@example.com', 'b***@example.com'],
    ['x@example.com', 'x***@example.com'],
    ['first.last+tag@sub.example.co.uk', 'f***g@sub.example.co.uk'],
    ['"odd@local"@example.com', '"***"@example.com'],
    ['no-at-sign', '***'],
    ['@example.com', '***'],
    ['', '***'],
  ])('%s → %s', (email, masked) => {
    expect(maskEmail(email)).toBe(masked);
  });

  it('never shows more than two characters of the local part', () => {
    const masked = maskEmail('averyverylongname@example.com');
    expect(masked).toBe('a***e@example.com');
    expect(masked).not.toContain('very');
  });
});
