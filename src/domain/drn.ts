// Astra resource names (DRNs), the `resources` of a role policy. The API answers a malformed one with an unhelpful
// "unable to create role", so they are checked here, before any request, with a message that says what is wrong.
//
//   drn:astra:org:<org>[:db:<db|*>[:keyspace:<ks|*>[:table:<t|*>]]]
//   drn:astra:org:<org>:stream:<tenant|*>      drn:astra:org:<org>:role:<role id|*>     (used by built-in roles)
//
// `<org>` is the org id (a UUID); built-in roles carry the literal placeholder `__ORG_ID__` instead.
import { UsageError } from '../errors.js';
import { printable } from '../text/terminal.js';

export const DRN_PREFIX = 'drn:astra:org:';
export const ORG_ID_PLACEHOLDER = '__ORG_ID__';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Keyspace and table names in Astra: letters, digits and underscores, at most 48 characters.
const CQL_NAME = /^[A-Za-z0-9_]{1,48}$/;
const TENANT = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export const isUuid = (value: string): boolean => UUID.test(value);

export interface Drn {
  org: string;
  db?: string;
  keyspace?: string;
  table?: string;
  stream?: string;
  role?: string;
}

export type DrnCheck = { ok: true; drn: Drn } | { ok: false; problem: string };

const LEVELS = ['db', 'keyspace', 'table'] as const;
type Level = (typeof LEVELS)[number];

function levelProblem(level: Level | 'stream' | 'role', value: string): string | undefined {
  if (value === '*') return undefined;
  switch (level) {
    case 'db':
      return isUuid(value) ? undefined : `'${printable(value)}' is not a database id (a UUID) or *`;
    case 'keyspace':
    case 'table':
      return CQL_NAME.test(value) ? undefined : `'${printable(value)}' is not a ${level} name (letters, digits and _, at most 48) or *`;
    case 'stream':
      return TENANT.test(value) ? undefined : `'${printable(value)}' is not a streaming tenant name or *`;
    case 'role':
      return isUuid(value) ? undefined : `'${printable(value)}' is not a role id (a UUID) or *`;
  }
}

/** Checks a DRN against the grammar above and says what is wrong when it does not fit. */
export function checkDrn(text: string): DrnCheck {
  const fail = (problem: string): DrnCheck => ({ ok: false, problem });
  if (text.trim() !== text || text === '') return fail('it is empty or has surrounding spaces');
  if (!text.startsWith(DRN_PREFIX)) {
    return fail(
      text.toLowerCase().startsWith(DRN_PREFIX) ? `'${DRN_PREFIX}' must be lower-case` : `it must start with '${DRN_PREFIX}<org id>'`,
    );
  }
  if (text.endsWith(':')) return fail("it ends with ':'");
  const parts = text.slice(DRN_PREFIX.length).split(':');
  const org = parts[0] ?? '';
  if (org === '') return fail('the org id is missing after drn:astra:org:');
  if (org !== ORG_ID_PLACEHOLDER && !isUuid(org)) return fail(`'${printable(org)}' is not an org id (a UUID)`);
  const drn: Drn = { org };
  const rest = parts.slice(1);
  if (rest.length === 0) return { ok: true, drn };
  if (rest.length % 2 !== 0) {
    return fail(`'${printable(rest[rest.length - 1]!)}' has no value: levels come in pairs like ':db:<id>'`);
  }
  const first = rest[0]!;
  if (first === 'stream' || first === 'role') {
    if (rest.length > 2) return fail(`nothing may follow ':${first}:<value>'`);
    const problem = levelProblem(first, rest[1]!);
    if (problem) return fail(`${first} level: ${problem}`);
    return { ok: true, drn: { ...drn, [first]: rest[1] } };
  }
  for (let i = 0; i < rest.length; i += 2) {
    const name = rest[i]!;
    const value = rest[i + 1]!;
    const expected = LEVELS[i / 2];
    if (name !== expected) {
      const wanted = i === 0 ? "'db', 'stream' or 'role'" : expected ? `'${expected}'` : 'nothing';
      return fail(`found level '${printable(name)}' where ${wanted} was expected (org, then db, keyspace, table)`);
    }
    if (value === '') return fail(`the ${name} level is empty (use * for all)`);
    const problem = levelProblem(expected, value);
    if (problem) return fail(`${name} level: ${problem}`);
    drn[expected] = value;
  }
  return { ok: true, drn };
}

/** The parsed DRN, or a usage error (exit 2) naming the flag, the DRN and what is wrong with it. */
export function requireDrn(text: string, flag = '--resource'): Drn {
  const check = checkDrn(text);
  if (check.ok) return check.drn;
  throw new UsageError(`${flag}: '${printable(text, 120)}' is not a valid resource: ${check.problem}`, {
    hint: `expected ${DRN_PREFIX}<org id>[:db:<db id|*>[:keyspace:<name|*>[:table:<name|*>]]]`,
  });
}

export const orgDrn = (orgId: string): string => `${DRN_PREFIX}${orgId}`;

/** A database scope as given by `--db`, `--keyspace` and `--table`. */
export interface DbScope {
  db?: string;
  keyspace?: string;
  table?: string;
}

/**
 * Checks the `--db/--keyspace/--table` combination and values (exit 2): a keyspace needs a database, a table needs a
 * keyspace, and each value must fit its DRN level. `--db` must be a database id here: resolve names before calling.
 */
export function checkDbScope(scope: DbScope): void {
  if (scope.keyspace !== undefined && scope.db === undefined) {
    throw new UsageError('--keyspace needs --db: a keyspace is always inside a database');
  }
  if (scope.table !== undefined && scope.keyspace === undefined) {
    throw new UsageError('--table needs --keyspace: a table is always inside a keyspace');
  }
  for (const level of LEVELS) {
    const value = scope[level];
    if (value === undefined) continue;
    const problem = levelProblem(level, value);
    if (problem) throw new UsageError(`--${level}: ${problem}`);
  }
}

/**
 * The resources the Astra portal writes for a scope: the org DRN, then the db, keyspace and table levels, with `*`
 * for every level below the last one named. `--db D` gives
 * `org`, `org:db:D`, `org:db:D:keyspace:*`, `org:db:D:keyspace:*:table:*`.
 */
export function scopeResources(orgId: string, scope: DbScope & { db: string }): string[] {
  checkDbScope(scope);
  const org = orgDrn(orgId);
  const db = `${org}:db:${scope.db}`;
  const keyspace = `${db}:keyspace:${scope.keyspace ?? '*'}`;
  const table = `${keyspace}:table:${scope.table ?? '*'}`;
  return [org, db, keyspace, table];
}
