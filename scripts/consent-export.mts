/**
 * `npm run consent:export -- --since 2026-11-01 [--until 2026-12-01] [--format csv|jsonl] > consents.csv`
 * Reads the consent ledger from DATABASE_URL (default: the embedded SQLite file) and writes it to stdout.
 */
import { formatConsents, parseExportArguments } from '../lib/consent/export-consents';
import { openStores } from '../lib/store';

let args;
try {
  args = parseExportArguments(process.argv.slice(2));
} catch (error) {
  console.error(`consent:export: ${(error as Error).message}`);
  process.exit(2);
}
const stores = await openStores(process.env.DATABASE_URL || 'file:./data/detour.sqlite');
try {
  const rows = await stores.consentLedger.listConsents({ since: args.since, until: args.until });
  process.stdout.write(formatConsents(rows, args.format));
  console.error(`consent:export: ${rows.length} acceptance(s)`);
} finally {
  await stores.close();
}
