// Secrets must never reach a log, a trace or an error message. Everything the transport prints or puts into an
// error passes through here.

const ASTRA_TOKEN = /AstraCS:([A-Za-z]{0,64}):[0-9A-Za-z]+/g;
const BARE_ASTRA = /AstraCS:[^\s"',;]*/g;
const JWT = /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*/g;
const SECRET_FIELDS = /("(?:secret|token|clientSecret|password)"\s*:\s*")[^"]*(")/gi;

/** Replaces token secrets, JWTs and secret JSON fields; the client id of an Astra token is kept (it is not secret). */
export function redact(text: string): string {
  return text
    .replace(ASTRA_TOKEN, (_m, clientId: string) => `AstraCS:${clientId}:[redacted]`)
    .replace(BARE_ASTRA, (m) => (m.endsWith(':[redacted]') ? m : 'AstraCS:[redacted]'))
    .replace(JWT, '[redacted-jwt]')
    .replace(SECRET_FIELDS, '$1[redacted]$2');
}
