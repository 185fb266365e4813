import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDatabases } from './fixtures/temp-database';
import { openSqliteStores } from './sqlite';
import type { ConsentRow } from './types';

const temp = tempDatabases();
afterAll(() => temp.cleanup());

const acceptance: ConsentRow = {
  sub: 'auth0|alice',
  termsVersion: '2026-11-01',
  locale: 'en',
  documentSha256: 'a'.repeat(64),
  acceptedAt: new Date('2026-11-01T08:00:00.000Z'),
  jti: 'jti-1',
  clientIp: '203.0.113.7',
  userAgent: 'Mozilla/5.0',
};

async function openLedger() {
  const path = temp.nextPath();
  const stores = await openSqliteStores(`file:${path}`);
  return { path, stores, ledger: stores.consentLedger };
}

describe('consent ledger', () => {
  it('records an acceptance once; a retried submission inserts nothing and is not an error', async () => {
    const { path, stores, ledger } = await openLedger();
    expect(await ledger.recordConsent(acceptance)).toEqual({ inserted: true });
    expect(await ledger.recordConsent({ ...acceptance, acceptedAt: new Date('2026-11-01T08:00:05.000Z') })).toEqual({
      inserted: false,
    });
    expect(await ledger.listConsents({ jti: 'jti-1' })).toEqual([acceptance]);
    await stores.close();

    const raw = new Database(path, { readonly: true });
    expect(raw.prepare('select count(*) as n from consents').get()).toEqual({ n: 1 });
    raw.close();
  });

  it('keeps one row per (jti, terms version) and filters by sub and jti', async () => {
    const { stores, ledger } = await openLedger();
    const newer = { ...acceptance, termsVersion: '2027-01-01', acceptedAt: new Date('2026-11-01T08:00:01.000Z') };
    const bob = { ...acceptance, sub: 'auth0|bob', jti: 'jti-2', clientIp: null, userAgent: null };
    for (const row of [newer, acceptance, bob]) expect(await ledger.recordConsent(row)).toEqual({ inserted: true });

    expect(await ledger.listConsents({ sub: 'auth0|alice' })).toEqual([acceptance, newer]);
    expect(await ledger.listConsents({ jti: 'jti-2' })).toEqual([bob]);
    expect(await ledger.listConsents({ sub: 'auth0|alice', jti: 'jti-2' })).toEqual([]);
    expect(await ledger.listConsents({})).toHaveLength(3);
    await stores.close();
  });

  it('fails closed with store_unavailable', async () => {
    const { stores, ledger } = await openLedger();
    await stores.close();
    await expect(ledger.recordConsent(acceptance)).rejects.toMatchObject({ code: 'store_unavailable', status: 503 });
    await expect(ledger.listConsents({ sub: acceptance.sub })).rejects.toMatchObject({ code: 'store_unavailable' });
  });
});

describe('listConsents by time', () => {
  it('lists acceptances since (inclusive) and until (exclusive) a time', async () => {
    const stores = await openSqliteStores('file::memory:');
    const row = (jti: string, at: string) => ({
      sub: 'auth0|a', termsVersion: '2026-11-01', locale: 'en', documentSha256: 'f'.repeat(64), acceptedAt: new Date(at), jti, clientIp: null, userAgent: null,
    });
    await stores.consentLedger.recordConsent(row('jti-early-0001', '2026-10-31T23:59:59.999Z'));
    await stores.consentLedger.recordConsent(row('jti-first-0002', '2026-11-01T00:00:00.000Z'));
    await stores.consentLedger.recordConsent(row('jti-later-0003', '2026-11-20T10:00:00.000Z'));
    const since = await stores.consentLedger.listConsents({ since: new Date('2026-11-01T00:00:00Z') });
    expect(since.map((r) => r.jti)).toEqual(['jti-first-0002', 'jti-later-0003']);
    const window = await stores.consentLedger.listConsents({ since: new Date('2026-11-01T00:00:00Z'), until: new Date('2026-11-20T10:00:00Z') });
    expect(window.map((r) => r.jti)).toEqual(['jti-first-0002']);
    await stores.close();
  });
});
