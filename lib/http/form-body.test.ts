import { describe, expect, it } from 'vitest';
import { DetourError } from '../errors';
import { MAX_FORM_BYTES, readFormData } from './form-body';

const URL_ = 'https://detour.example.com/steps/terms';
const BOUNDARY = '----detourtest';
const multipart = (fields: [string, string][]) =>
  fields.map(([name, value]) => `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`).join('') + `--${BOUNDARY}--\r\n`;

/** A body sent in chunks with no Content-Length (as chunked transfer encoding arrives), counting what was pulled. */
function streamed(chunks: string[]) {
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = chunks[pulled++];
      if (next === undefined) controller.close();
      else controller.enqueue(new TextEncoder().encode(next));
    },
  });
  return { body, pulled: () => pulled };
}

const request = (body: BodyInit | null, headers: Record<string, string>) => new Request(URL_, { method: 'POST', body, headers, duplex: 'half' } as RequestInit);

async function refusal(promise: Promise<unknown>): Promise<DetourError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(DetourError);
  return error as DetourError;
}

describe('readFormData', () => {
  it.each([
    ['urlencoded', 'accept=on&version=2026-11-01', 'application/x-www-form-urlencoded'],
    ['urlencoded with a charset', 'accept=on&version=2026-11-01', 'application/x-www-form-urlencoded; charset=UTF-8'],
    ['multipart', multipart([['accept', 'on'], ['version', '2026-11-01']]), `multipart/form-data; boundary=${BOUNDARY}`],
  ])('reads a %s form', async (_, body, contentType) => {
    const data = await readFormData(request(body, { 'content-type': contentType }));
    expect([...data]).toEqual([['accept', 'on'], ['version', '2026-11-01']]);
  });

  it('reads a form exactly at the limit', async () => {
    const body = `a=${'x'.repeat(MAX_FORM_BYTES - 2)}`;
    expect((await readFormData(request(body, { 'content-type': 'application/x-www-form-urlencoded' }))).get('a')).toHaveLength(MAX_FORM_BYTES - 2);
  });

  it.each([
    ['a declared Content-Length over the limit', () => request('a=1', { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(MAX_FORM_BYTES + 1) }), 413, 'body_too_large'],
    ['a body over the limit', () => request(`a=${'x'.repeat(MAX_FORM_BYTES)}`, { 'content-type': 'application/x-www-form-urlencoded' }), 413, 'body_too_large'],
    ['a 1 MB multipart body', () => request(multipart([['filler', 'x'.repeat(1024 * 1024)]]), { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` }), 413, 'body_too_large'],
    ['JSON', () => request('{"accept":true}', { 'content-type': 'application/json' }), 415, 'content_type'],
    ['no Content-Type', () => request('accept=on', {}), 415, 'content_type'],
    ['multipart without its boundary', () => request(multipart([['accept', 'on']]), { 'content-type': 'multipart/form-data; boundary=other' }), 400, 'form_unreadable'],
  ])('refuses %s', async (_, make, status, reason) => {
    const error = await refusal(readFormData(make()));
    expect(error).toMatchObject({ code: 'invalid_request', status, details: { reason } });
  });

  it('stops reading an undeclared body once it passes the limit', async () => {
    const chunk = 'x'.repeat(16 * 1024);
    const { body, pulled } = streamed(['a=', ...Array.from({ length: 64 }, () => chunk)]);
    const error = await refusal(readFormData(request(body, { 'content-type': 'application/x-www-form-urlencoded' })));
    expect(error.status).toBe(413);
    expect(pulled()).toBeLessThan(10);
  });

  it('does not read a body whose Content-Length is over the limit', async () => {
    const { body, pulled } = streamed(['a=1']);
    await refusal(readFormData(request(body, { 'content-type': 'application/x-www-form-urlencoded', 'content-length': '1048576' })));
    expect(pulled()).toBeLessThanOrEqual(1);
  });
});
