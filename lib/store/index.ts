import 'server-only';
import { openSqliteStores } from './sqlite';
import type { Stores } from './types';

export type { ConsentLedger, ConsentRow, JtiStore, Stores } from './types';

/** DESIGN.md, Configuration: DATABASE_URL defaults to an embedded SQLite file under ./data/. */
export function defaultDatabaseUrl(): string {
  return 'file:./data/detour.sqlite';
}

/**
 * Opens the stores DATABASE_URL names and brings their schema up to date. The scheme alone picks
 * the backend, so Postgres (and a Redis jti store beside it) can arrive without touching callers.
 */
export async function openStores(databaseUrl: string): Promise<Stores> {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(databaseUrl)?.[1]?.toLowerCase();
  switch (scheme) {
    case 'file':
      return openSqliteStores(databaseUrl);
    case 'postgres':
    case 'postgresql':
      throw new Error('Postgres stores arrive with the several-instances work; use file:… for now');
    default:
      // Never echo the URL itself: a database URL can carry a password.
      throw new Error('DATABASE_URL must start with file: (SQLite) or postgres:// (Postgres).');
  }
}
