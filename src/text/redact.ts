// Secrets must never reach a log, a trace or an error message. Everything the transport prints or puts into an
// error passes through here.

// `:` may arrive percent-encoded, e.g. when a whole token was mistaken for a client id and put into a URL path.
// A token runs up to whitespace, a quote, a bracket or a URL delimiter, so that even a malformed one is covered.
const ASTRA = /AstraCS(?::|%3[Aa])[^\s"'`,;()[\]{}<>&?#]*/g;
const CLIENT_ID = /^[A-Za-z]{1,64}$/;
/**
 * The secret part of an Astra token (sha256 hex), wherever it shows up on its own: glued to other text too (a longer
 * run of hex is redacted whole).
 */
const HEX_SECRET = /[0-9a-fA-F]{64,}/g;
/**
 * A JWT (a Pulsar token): a base64url JSON segment (`{"` encodes as `eyJ`) and one or two more segments, wherever it
 * starts, glued to letters included. Two JWTs glued together are both caught, the second with one segment left.
 */
const JWT = /eyJ[A-Za-z0-9_-]{4,}(?:\.[A-Za-z0-9_-]*){1,2}/g;
/** Any other bearer credential (an Astra token is handled above and keeps its client id). */
const BEARER = /(\bBearer\s+)(?!AstraCS:)(?!\[redacted)[A-Za-z0-9._~+/=-]+/gi;
const SECRET_FIELDS = /("(?:secret|token|clientSecret|password)"\s*:\s*")[^"]*(")/gi;

/**
 * Replaces token secrets, JWTs and secret JSON fields; the client id of an Astra token is kept (it is not secret).
 * Idempotent: redacted text, and the bare prefix in a message (`"AstraCS:"`, `AstraCS:...`), pass unchanged.
 */
export function redact(text: string): string {
  return text
    .replace(ASTRA, (m, offset: number, whole: string) => {
      const rest = m.replace(/^AstraCS(?::|%3[Aa])/, '');
      const alreadyRedacted = m.endsWith(':') && whole.startsWith('[redacted', offset + m.length);
      if (alreadyRedacted || !/[A-Za-z0-9]/.test(rest)) {
        return m;
      }
      const [, clientId, ...secret] = m.replace(/%3[Aa]/g, ':').split(':');
      return secret.length && CLIENT_ID.test(clientId!) ? `AstraCS:${clientId}:[redacted]` : 'AstraCS:[redacted]';
    })
    .replace(HEX_SECRET, '[redacted]')
    .replace(JWT, '[redacted-jwt]')
    .replace(BEARER, '$1[redacted]')
    .replace(SECRET_FIELDS, '$1[redacted]$2');
}
