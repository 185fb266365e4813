import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checkBreachedPassword } from './breach-check';

const BREACHED = 'Blue-Kettle-Violin-42';
const PADDED_ONLY = 'Padded-Entry-Only-7';
const sha1 = (text: string) => createHash('sha1').update(text, 'utf8').digest('hex').toUpperCase();

type Mode = 'normal' | 'lowercase' | 'slow' | 'error' | 'malformed' | 'empty' | 'reset';

/** A small Pwned Passwords range server on loopback: `GET /range/<5 hex>` → `SUFFIX:COUNT` lines. */
function fakeRangeServer() {
  const seen: { url: string; headers: IncomingHttpHeaders }[] = [];
  let mode: Mode = 'normal';
  const server: Server = createServer((request, response) => {
    seen.push({ url: request.url ?? '', headers: request.headers });
    const prefix = /^\/range\/([0-9A-F]{5})$/.exec(request.url ?? '')?.[1];
    if (mode === 'reset') return request.socket.destroy();
    if (mode === 'error' || !prefix) {
      response.writeHead(mode === 'error' ? 503 : 400).end();
      return;
    }
    const lines = [`${'0'.repeat(35)}:3`, `${'F'.repeat(35)}:12`];
    for (const [password, count] of [[BREACHED, 4242], [PADDED_ONLY, 0]] as const) {
      const digest = sha1(password);
      if (digest.startsWith(prefix)) lines.push(`${digest.slice(5)}:${count}`);
    }
    const body = mode === 'lowercase' ? lines.join('\r\n').toLowerCase() : mode === 'malformed' ? '<html>maintenance</html>' : mode === 'empty' ? '' : lines.join('\r\n');
    const send = () => response.writeHead(200, { 'content-type': 'text/plain' }).end(body);
    if (mode === 'slow') setTimeout(send, 1000);
    else send();
  });
  return {
    server,
    seen,
    setMode: (next: Mode) => {
      mode = next;
    },
    baseUrl: () => `http://127.0.0.1:${(server.address() as AddressInfo).port}/range/`,
  };
}

const range = fakeRangeServer();
beforeAll(() => new Promise<void>((listening) => range.server.listen(0, '127.0.0.1', () => listening())));
afterAll(() => new Promise<void>((closed) => range.server.close(() => closed())));
beforeEach(() => {
  range.setMode('normal');
  range.seen.length = 0;
});

const check = (password: string, timeoutMs = 500) => checkBreachedPassword(password, { baseUrl: range.baseUrl(), timeoutMs });

describe('checkBreachedPassword', () => {
  it('finds a breached password from its range, sending only the first five hex characters of its SHA-1', async () => {
    expect(await check(BREACHED)).toEqual({ status: 'breached' });
    expect(range.seen).toHaveLength(1);
    expect(range.seen[0]!.url).toBe(`/range/${sha1(BREACHED).slice(0, 5)}`);
    const sent = JSON.stringify(range.seen);
    expect(sent).not.toContain(sha1(BREACHED).slice(5));
    expect(sent).not.toContain(BREACHED);
    expect(range.seen[0]!.headers['add-padding']).toBe('true');
  });

  it('answers not_found for a password outside the range', async () => {
    expect(await check('Quiet-Harbour-Lantern-88')).toEqual({ status: 'not_found' });
  });

  it('compares suffixes case-insensitively', async () => {
    range.setMode('lowercase');
    expect(await check(BREACHED)).toEqual({ status: 'breached' });
  });

  it('ignores padding entries (count 0)', async () => {
    expect(await check(PADDED_ONLY)).toEqual({ status: 'not_found' });
  });

  it.each([
    ['a slow server', 'slow', 'timeout'],
    ['a 503', 'error', 'http_503'],
    ['an answer that is not a range', 'malformed', 'malformed_answer'],
    ['an empty answer', 'empty', 'empty_answer'],
    ['a reset connection', 'reset', 'network'],
  ] as const)('fails open on %s', async (_, mode, reason) => {
    range.setMode(mode);
    const started = Date.now();
    expect(await check(BREACHED, 200)).toEqual({ status: 'unknown', reason });
    expect(Date.now() - started).toBeLessThan(900);
  });

  it('fails open when nothing listens', async () => {
    const result = await checkBreachedPassword(BREACHED, { baseUrl: 'http://127.0.0.1:9/range/', timeoutMs: 500 });
    expect(result).toEqual({ status: 'unknown', reason: 'network' });
  });
});
