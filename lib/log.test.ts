import { describe, expect, it } from 'vitest';
import { flowLogId, scrubUrl } from './log';

describe('scrubUrl', () => {
  it.each([
    ['https://detour.example.com/start?state=S&session_token=eyJ.a.b', 'https://detour.example.com/start'],
    ['/start?session_token=eyJ.a.b', '/start'],
    ['/steps/terms#section', '/steps/terms'],
    ['/complete#frag?notquery', '/complete'],
    ['/x?a=1#frag', '/x'],
    ['/steps/terms', '/steps/terms'],
    ['?token=eyJ.a.b', ''],
  ])('%s → %s', (url, scrubbed) => {
    expect(scrubUrl(url)).toBe(scrubbed);
  });

  it('drops the token from a URL it scrubs', () => {
    expect(scrubUrl('/start?state=S&session_token=secret.token.value')).not.toContain('secret');
  });
});

describe('flowLogId', () => {
  it('is stable for one flow, differs between flows, and reveals neither iss nor jti', () => {
    const a = flowLogId({ iss: 'tenant.eu.auth0.com', jti: 'jti-one-123456' });
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(flowLogId({ iss: 'tenant.eu.auth0.com', jti: 'jti-one-123456' })).toBe(a);
    expect(flowLogId({ iss: 'tenant.eu.auth0.com', jti: 'jti-two-123456' })).not.toBe(a);
    expect(a).not.toContain('jti');
  });
});
