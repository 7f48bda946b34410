// The token string a create answer may leave out: the API description documents it as built from the client id and
// the secret. Kept apart from token-format.ts, which loads on every start, so node:crypto loads only when needed.
import { createHash } from 'node:crypto';

/** `AstraCS:<clientId>:hex(sha256(secret))`. */
export function deriveToken(clientId: string, secret: string): string {
  return `AstraCS:${clientId}:${createHash('sha256').update(secret, 'utf8').digest('hex')}`;
}

/** Said on stderr whenever a built token was accepted and is used. */
export const BUILT_TOKEN_NOTE =
  "the API's answer carried no token: it was built from the client id and secret (AstraCS:<client id>:sha256(secret)) and checked with the API";

/** Why a built token is not used, for the error that follows a failed check. */
export function builtTokenRefused(clientId: string, err: unknown, outcome: string): string {
  return `token ${clientId} was created, but the API's answer carried no token and the one built from its client id and secret was not accepted (${err instanceof Error ? err.message : String(err)}); ${outcome}`;
}

/**
 * The token of a create answer: as given, or built from the client id and secret and checked with `check` (one
 * request made with it) before anything uses it. A failed check throws what `check` threw.
 */
export async function tokenOfAnswer(
  created: { clientId: string; secret: string; token: string | null },
  check: (token: string) => Promise<unknown>,
  note: (line: string) => void,
): Promise<string> {
  if (created.token !== null) return created.token;
  const token = deriveToken(created.clientId, created.secret);
  await check(token);
  note(BUILT_TOKEN_NOTE);
  return token;
}
