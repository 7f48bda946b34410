// The token string a create answer may leave out: the API description documents it as built from the client id and
// the secret. Kept apart from token-format.ts, which loads on every start, so node:crypto loads only when needed.
import { createHash } from 'node:crypto';

/** `AstraCS:<clientId>:hex(sha256(secret))`. */
export function deriveToken(clientId: string, secret: string): string {
  return `AstraCS:${clientId}:${createHash('sha256').update(secret, 'utf8').digest('hex')}`;
}
