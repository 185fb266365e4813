import { afterAll, beforeAll, beforeEach, vi } from 'vitest';
import { startMailCatcher, type MailCatcher } from '@/e2e/local-tenant/mail-catcher';

/**
 * The local tenant's SMTP catcher for the tests of a file (or a describe block): started once, emptied before each
 * test, with SMTP_URL pointing at it (the verify step reads it when it sends). Call the returned function for it.
 */
export function mailCatcherPerTest(): () => MailCatcher {
  let catcher: MailCatcher | undefined;
  beforeAll(async () => {
    catcher = await startMailCatcher({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await catcher?.close();
  });
  beforeEach(() => {
    vi.stubEnv('SMTP_URL', `smtp://127.0.0.1:${catcher!.port}`);
    catcher!.clear();
  });
  return () => catcher!;
}
