import type { ConsentRow } from '../store';

export type ExportFormat = 'csv' | 'jsonl';

const COLUMNS = ['accepted_at', 'sub', 'terms_version', 'locale', 'document_sha256', 'jti', 'client_ip', 'user_agent'] as const;

function record(row: ConsentRow): Record<(typeof COLUMNS)[number], string | null> {
  return {
    accepted_at: row.acceptedAt.toISOString(),
    sub: row.sub,
    terms_version: row.termsVersion,
    locale: row.locale,
    document_sha256: row.documentSha256,
    jti: row.jti,
    client_ip: row.clientIp,
    user_agent: row.userAgent,
  };
}

/**
 * RFC 4180 quoting, and a leading apostrophe for cells a spreadsheet would run as a formula (a user agent is
 * attacker-chosen text: OWASP "CSV injection").
 */
export function csvCell(value: string | null): string {
  if (value === null) return '';
  const guarded = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(guarded) ? `"${guarded.replaceAll('"', '""')}"` : guarded;
}

/** The consent ledger as evidence: who accepted which version, when, and the hash of the exact document shown. */
export function formatConsents(rows: readonly ConsentRow[], format: ExportFormat): string {
  if (format === 'jsonl') return rows.map((row) => `${JSON.stringify(record(row))}\n`).join('');
  const lines = [COLUMNS.join(','), ...rows.map((row) => COLUMNS.map((column) => csvCell(record(row)[column])).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}

export interface ExportArguments {
  since?: Date;
  until?: Date;
  format: ExportFormat;
}

/** `--since 2026-11-01 [--until …] [--format csv|jsonl]`; throws a sentence naming what is wrong. */
export function parseExportArguments(argv: readonly string[]): ExportArguments {
  const result: ExportArguments = { format: 'csv' };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag !== '--since' && flag !== '--until' && flag !== '--format') throw new Error(`unknown argument ${flag}; use --since, --until and --format`);
    if (value === undefined) throw new Error(`${flag} needs a value`);
    i++;
    if (flag === '--format') {
      if (value !== 'csv' && value !== 'jsonl') throw new Error('--format is csv or jsonl');
      result.format = value;
      continue;
    }
    const date = new Date(value);
    if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(date.getTime())) throw new Error(`${flag} takes a date such as 2026-11-01 or 2026-11-01T12:00:00Z`);
    result[flag === '--since' ? 'since' : 'until'] = date;
  }
  return result;
}
