import { describe, expect, it } from 'vitest';
import { DetourError, isDetourError } from './errors';

describe('DetourError', () => {
  it('is recognised across module copies (Next bundles route handlers and actions separately)', async () => {
    // A fresh module instance stands in for another bundle's copy of lib/errors.ts.
    const copy = (await import(`./errors?copy=${Date.now()}`)) as typeof import('./errors');
    const foreign = new copy.DetourError('upstream_unavailable', 503, 'busy');
    expect(copy.DetourError).not.toBe(DetourError);
    expect(foreign instanceof DetourError).toBe(true);
    expect(isDetourError(foreign)).toBe(true);
  });

  it('does not mistake other errors for a DetourError', () => {
    expect(isDetourError(new Error('x'))).toBe(false);
    expect(isDetourError({ code: 'token_expired', status: 401 })).toBe(false);
    expect(isDetourError(null)).toBe(false);
  });

  it('keeps code, status and details', () => {
    const error = new DetourError('token_expired', 401, 'expired', { claim: 'exp', reason: 'past' });
    expect(error).toMatchObject({ code: 'token_expired', status: 401, details: { claim: 'exp', reason: 'past' } });
  });
});
