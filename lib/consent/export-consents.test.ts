import { describe, expect, it } from 'vitest';
import type { ConsentRow } from '../store';
import { csvCell, formatConsents, parseExportArguments } from './export-consents';

const row: ConsentRow = {
  sub: 'auth0|alice',
  termsVersion: '2026-11-01',
  locale: 'en',
  documentSha256: 'a'.repeat(64),
  acceptedAt: new Date('2026-11-20T10:00:00.000Z'),
  jti: 'jti-0001-abcdef',
  clientIp: '203.0.113.7',
  userAgent: 'Mozilla/5.0 (X11; "Linux")',
};

describe('formatConsents', () => {
  it('writes CSV with a header, one line per acceptance, quoting where needed', () => {
    expect(formatConsents([row], 'csv')).toBe(
      'accepted_at,sub,terms_version,locale,document_sha256,jti,client_ip,user_agent\r\n' +
        `2026-11-20T10:00:00.000Z,auth0|alice,2026-11-01,en,${'a'.repeat(64)},jti-0001-abcdef,203.0.113.7,"Mozilla/5.0 (X11; ""Linux"")"\r\n`,
    );
  });

  it('writes one JSON object per line', () => {
    const [line] = formatConsents([row, { ...row, jti: 'jti-0002-abcdef', clientIp: null }], 'jsonl').trimEnd().split('\n');
    expect(JSON.parse(line!)).toEqual({
      accepted_at: '2026-11-20T10:00:00.000Z', sub: 'auth0|alice', terms_version: '2026-11-01', locale: 'en',
      document_sha256: 'a'.repeat(64), jti: 'jti-0001-abcdef', client_ip: '203.0.113.7', user_agent: 'Mozilla/5.0 (X11; "Linux")',
    });
    expect(formatConsents([row, row], 'jsonl').split('\n')).toHaveLength(3);
  });

  it.each([
    ['=HYPERLINK("x")', `"'=HYPERLINK(""x"")"`],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['plain', 'plain'],
    [null, ''],
  ])('guards %s against spreadsheet formulas', (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });
});

describe('parseExportArguments', () => {
  it('reads --since, --until and --format', () => {
    expect(parseExportArguments(['--since', '2026-11-01', '--format', 'jsonl'])).toEqual({ since: new Date('2026-11-01'), format: 'jsonl' });
    expect(parseExportArguments([])).toEqual({ format: 'csv' });
  });

  it.each([
    [['--since'], /needs a value/],
    [['--since', 'yesterday'], /takes a date/],
    [['--format', 'xml'], /csv or jsonl/],
    [['--sinse', '2026-11-01'], /unknown argument/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseExportArguments(argv)).toThrow(message);
  });
});
