// The top-level keys of each verb's JSON document: what `--fields` may name (checked before the verb sends anything)
// and what the verb's --help lists under "JSON fields". One declaration per kind of document; docs/contract.md lists
// the same keys (a test holds the two together).
import { UsageError } from '../errors.js';
import { printable } from '../text/terminal.js';

const TOKEN = ['clientId', 'roles', 'description', 'generatedOn', 'expiresAt', 'expired'] as const;
const NEW_TOKEN = ['clientId', 'token', 'secret', 'orgId', 'roles', 'description', 'generatedOn', 'expiresAt', 'outputFile'] as const;
const DELETED_TOKEN = ['clientId', 'deleted', 'reason'] as const;
const ROLE = ['id', 'name', 'builtIn', 'description', 'effect', 'actions', 'resources'] as const;
const PROFILE = ['name', 'current', 'orgId', 'orgName', 'apiUrl', 'storage'] as const;

/** Each verb that prints JSON (`noun verb`), with the keys of its document's objects. */
export const JSON_FIELDS: Readonly<Record<string, readonly string[]>> = {
  'org add': PROFILE,
  'org list': PROFILE,
  'org switch': PROFILE,
  'org current': ['profile', 'source', 'clientId', 'orgId', 'orgName', 'apiUrl'],
  'org storage': PROFILE,
  'org remove': PROFILE,
  'token list': TOKEN,
  'token create': NEW_TOKEN,
  'token delete': DELETED_TOKEN,
  // Not due: {"rotated": false, "clientId", "reason"}.
  'token rotate': [...NEW_TOKEN, 'replaced', 'revoked', 'rotated', 'reason'],
  'token prune': DELETED_TOKEN,
  'token inspect': ['source', 'clientId', 'valid', 'kind', 'problem', 'jwt', 'check'],
  'token audit': ['generatedAt', 'auditedWith', 'summary', 'findings', 'tokens', 'changes', 'unusedSuppressions'],
  'role list': ROLE,
  'role get': ROLE,
  // A list of action names: no objects, no fields.
  'role actions': [],
  'role create': ROLE,
  'role update': ROLE,
  'role delete': ['id', 'name', 'deleted'],
  'db list': ['id', 'name', 'region', 'status'],
  'streaming token list': ['tokenId', 'subject', 'issuedAt', 'expiresAt'],
  'streaming token create': ['tokenId', 'token', 'role', 'outputFile'],
  'streaming token get': ['tokenId', 'token'],
  'streaming token delete': ['tokenId', 'deleted', 'reason'],
  emulator: ['url', 'token', 'orgId'],
};

/**
 * Refuses (exit 2) a `--fields` name the verb's document never holds, before the verb runs: a verb that creates
 * something must not create it and then fail on a typo.
 */
export function checkFields(verb: string, fields: readonly string[]): void {
  const available = JSON_FIELDS[verb];
  if (available === undefined) return;
  if (available.length === 0) throw new UsageError(`--fields cannot be used with ${verb}: its JSON is a list of strings (use --jq)`);
  const unknown = fields.filter((f) => !available.includes(f));
  if (!unknown.length) return;
  const list = unknown.map((f) => `'${printable(f)}'`).join(', ');
  throw new UsageError(`--fields: unknown field${unknown.length > 1 ? 's' : ''} ${list}; available: ${available.join(', ')}`);
}

/** The "JSON fields" section of a verb's --help: the names, wrapped within `width` columns. */
export function jsonFieldsHelp(verb: string, width = 80): string | undefined {
  const fields = JSON_FIELDS[verb];
  if (!fields?.length) return undefined;
  const lines = ['JSON fields (for --fields, --jq):'];
  let line = ' ';
  for (const field of fields) {
    if (line.length + 1 + field.length > width - 2) {
      lines.push(line);
      line = ' ';
    }
    line += ` ${field}`;
  }
  lines.push(line);
  return '\n' + lines.join('\n');
}
