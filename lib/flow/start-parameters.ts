import { DetourError } from '../errors';

export const MAX_STATE_LENGTH = 2048;
const MAX_TOKEN_PARAMETER_BYTES = 4096;

export function tokenParameterName(protocol: 'actions' | 'rules'): 'session_token' | 'token' {
  return protocol === 'rules' ? 'token' : 'session_token';
}

/**
 * DESIGN "Protocols": `state` and the token parameter each exactly once. Checked before any crypto so a
 * malformed request never reaches jose.
 */
export function readStartParameters(params: URLSearchParams, protocol: 'actions' | 'rules'): { state: string; token: string } {
  const name = tokenParameterName(protocol);
  const states = params.getAll('state');
  const tokens = params.getAll(name);
  if (states.length !== 1 || tokens.length !== 1) {
    throw new DetourError('invalid_request', 400, 'This sign-in link is incomplete or was changed. Start the sign-in again.', {
      reason: states.length !== 1 ? 'state_count' : 'token_count',
    });
  }
  const [state] = states as [string];
  const [token] = tokens as [string];
  if (state.length === 0 || state.length > MAX_STATE_LENGTH) {
    throw new DetourError('invalid_request', 400, 'This sign-in link is incomplete or was changed. Start the sign-in again.', { reason: 'state_length' });
  }
  if (Buffer.byteLength(token, 'utf8') > MAX_TOKEN_PARAMETER_BYTES) {
    throw new DetourError('token_malformed', 400, 'This sign-in link is not valid. Start the sign-in again.', { reason: 'token_size' });
  }
  return { state, token };
}
