import { DetourError } from '../errors';

/** A step form is a few short fields; anything near this is not a person filling it in. */
export const MAX_FORM_BYTES = 64 * 1024;

const FORM_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data']);

/**
 * A posted form (urlencoded or multipart) as FormData, refused before it is parsed when it is larger than
 * `maxBytes`: by its Content-Length when it declares one, else while reading (the read stops at the limit). Throws a
 * DetourError: 413 too large, 415 not a form, 400 a body that does not parse.
 */
export async function readFormData(request: Request, maxBytes: number = MAX_FORM_BYTES): Promise<FormData> {
  const contentType = request.headers.get('content-type') ?? '';
  const mediaType = contentType.split(';')[0]!.trim().toLowerCase();
  if (!FORM_TYPES.has(mediaType)) {
    throw new DetourError('invalid_request', 415, 'This address only accepts a form post.', { reason: 'content_type' });
  }
  const declared = request.headers.get('content-length');
  if (declared !== null && !(Number(declared) <= maxBytes)) throw tooLarge();
  const body = await readCapped(request, maxBytes);
  try {
    return await new Response(body, { headers: { 'content-type': contentType } }).formData();
  } catch (error) {
    throw new DetourError('invalid_request', 400, 'This form could not be read.', { reason: 'form_unreadable', cause: error });
  }
}

async function readCapped(request: Request, maxBytes: number): Promise<Uint8Array<ArrayBuffer>> {
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.byteLength;
    if (length > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  const body = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

function tooLarge(): DetourError {
  return new DetourError('invalid_request', 413, 'This form is larger than any answer to it can be, so nothing was saved.', { reason: 'body_too_large' });
}
