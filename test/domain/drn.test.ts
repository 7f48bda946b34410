import { describe, expect, it } from 'vitest';
import { checkDbScope, checkDrn, requireDrn, scopeResources } from '../../src/domain/drn.js';
import { closestAction, isKnownAction, KNOWN_ACTIONS, unknownActions } from '../../src/domain/known-actions.js';
import { builtInRoleName } from '../../src/domain/role-labels.js';
import { flagValues } from '../../src/commands/role/policy-input.js';
import { UsageError } from '../../src/errors.js';

const ORG = '2f6a8c1e-4b3d-4e5f-8a9b-0c1d2e3f4a5b';
const DB = '8d3c6f5e-1b2a-4c3d-9e8f-0a1b2c3d4e5f';
const P = `drn:astra:org:${ORG}`;

describe('checkDrn', () => {
  it.each([
    [P, { org: ORG }],
    [`${P}:db:*`, { org: ORG, db: '*' }],
    [`${P}:db:${DB}`, { org: ORG, db: DB }],
    [`${P}:db:${DB}:keyspace:*`, { org: ORG, db: DB, keyspace: '*' }],
    [`${P}:db:*:keyspace:sales_2024`, { org: ORG, db: '*', keyspace: 'sales_2024' }],
    [`${P}:db:${DB}:keyspace:sales:table:*`, { org: ORG, db: DB, keyspace: 'sales', table: '*' }],
    [`${P}:db:${DB}:keyspace:sales:table:Orders`, { org: ORG, db: DB, keyspace: 'sales', table: 'Orders' }],
    [`${P}:stream:*`, { org: ORG, stream: '*' }],
    [`${P}:stream:my-tenant`, { org: ORG, stream: 'my-tenant' }],
    [`${P}:role:*`, { org: ORG, role: '*' }],
    ['drn:astra:org:__ORG_ID__:db:*:keyspace:*:table:*', { org: '__ORG_ID__', db: '*', keyspace: '*', table: '*' }],
  ])('accepts %s', (text, drn) => {
    expect(checkDrn(text)).toEqual({ ok: true, drn });
  });

  it.each([
    ['', 'it is empty or has surrounding spaces'],
    [` ${P}`, 'it is empty or has surrounding spaces'],
    ['db:*', "it must start with 'drn:astra:org:<org id>'"],
    ['DRN:astra:org:x', "'drn:astra:org:' must be lower-case"],
    ['drn:astra:org:', "it ends with ':'"],
    [`${P}:`, "it ends with ':'"],
    ['drn:astra:org:my-org', "'my-org' is not an org id (a UUID)"],
    [`${P}:db`, "'db' has no value: levels come in pairs like ':db:<id>'"],
    [`${P}:database:${DB}`, "found level 'database' where 'db', 'stream' or 'role' was expected (org, then db, keyspace, table)"],
    [`${P}:db:orders`, "db level: 'orders' is not a database id (a UUID) or *"],
    [`${P}:db:*:table:t`, "found level 'table' where 'keyspace' was expected (org, then db, keyspace, table)"],
    [`${P}:db:*:keyspace:my-ks`, "keyspace level: 'my-ks' is not a keyspace name (letters, digits and _, at most 48) or *"],
    [
      `${P}:db:*:keyspace:${'k'.repeat(49)}`,
      `keyspace level: '${'k'.repeat(49)}' is not a keyspace name (letters, digits and _, at most 48) or *`,
    ],
    [`${P}:db:*:keyspace:ks:table:a.b`, "table level: 'a.b' is not a table name (letters, digits and _, at most 48) or *"],
    [`${P}:db:*:keyspace:ks:table:t:column:c`, "found level 'column' where nothing was expected (org, then db, keyspace, table)"],
    [`${P}:db::keyspace:*`, 'the db level is empty (use * for all)'],
    [`${P}:stream:*:db:*`, "nothing may follow ':stream:<value>'"],
    [`${P}:role:admin`, "role level: 'admin' is not a role id (a UUID) or *"],
  ])('refuses %j: %s', (text, problem) => {
    expect(checkDrn(text)).toEqual({ ok: false, problem });
  });

  it('requireDrn throws a usage error naming the flag, the DRN and the problem', () => {
    let error: unknown;
    try {
      requireDrn('db:*', '--add-resource');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toBe(
      "--add-resource: 'db:*' is not a valid resource: it must start with 'drn:astra:org:<org id>'",
    );
    expect((error as UsageError).hint).toBe('expected drn:astra:org:<org id>[:db:<db id|*>[:keyspace:<name|*>[:table:<name|*>]]]');
  });
});

describe('scopeResources (the portal way)', () => {
  it('--db: org, db, every keyspace, every table', () => {
    expect(scopeResources(ORG, { db: DB })).toEqual([P, `${P}:db:${DB}`, `${P}:db:${DB}:keyspace:*`, `${P}:db:${DB}:keyspace:*:table:*`]);
  });
  it('--db --keyspace: org, db, that keyspace, its every table', () => {
    expect(scopeResources(ORG, { db: DB, keyspace: 'sales' })).toEqual([
      P,
      `${P}:db:${DB}`,
      `${P}:db:${DB}:keyspace:sales`,
      `${P}:db:${DB}:keyspace:sales:table:*`,
    ]);
  });
  it('--db --keyspace --table: down to the one table', () => {
    expect(scopeResources(ORG, { db: DB, keyspace: 'sales', table: 'orders' })).toEqual([
      P,
      `${P}:db:${DB}`,
      `${P}:db:${DB}:keyspace:sales`,
      `${P}:db:${DB}:keyspace:sales:table:orders`,
    ]);
  });
  it('--db * covers every database', () => {
    expect(scopeResources(ORG, { db: '*' })).toEqual([P, `${P}:db:*`, `${P}:db:*:keyspace:*`, `${P}:db:*:keyspace:*:table:*`]);
  });
  it('every built DRN passes the grammar', () => {
    for (const r of scopeResources(ORG, { db: DB, keyspace: 'ks', table: 't' })) expect(checkDrn(r).ok).toBe(true);
  });
  it.each([
    [{ keyspace: 'ks' }, '--keyspace needs --db: a keyspace is always inside a database'],
    [{ keyspace: 'ks', table: 't' }, '--keyspace needs --db: a keyspace is always inside a database'],
    [{ db: DB, table: 't' }, '--table needs --keyspace: a table is always inside a keyspace'],
    [{ table: 't' }, '--table needs --keyspace: a table is always inside a keyspace'],
    [{ db: 'orders' }, "--db: 'orders' is not a database id (a UUID) or *"],
    [{ db: DB, keyspace: 'a b' }, "--keyspace: 'a b' is not a keyspace name (letters, digits and _, at most 48) or *"],
    [{ db: DB, keyspace: 'ks', table: 'x:y' }, "--table: 'x:y' is not a table name (letters, digits and _, at most 48) or *"],
  ])('checkDbScope refuses %j', (scope, message) => {
    expect(() => checkDbScope(scope)).toThrow(new UsageError(message));
  });
  it('checkDbScope accepts nothing at all', () => {
    expect(() => checkDbScope({})).not.toThrow();
  });
});

describe('known actions', () => {
  it('holds the documented list without duplicates', () => {
    expect(KNOWN_ACTIONS).toHaveLength(55);
    expect(new Set(KNOWN_ACTIONS).size).toBe(55);
    expect(isKnownAction('org-role-write')).toBe(true);
    expect(isKnownAction('ORG-ROLE-WRITE')).toBe(false);
  });
  it('suggests the closest known action', () => {
    expect(closestAction('db-cq')).toBe('db-cql');
    expect(closestAction('org-token-wirte')).toBe('org-token-write');
    expect(closestAction('completely-unrelated-thing')).toBeUndefined();
    expect(unknownActions(['db-cql', 'db-tabel-select', 'zzz'])).toEqual([
      { action: 'db-tabel-select', suggestion: 'db-table-select' },
      { action: 'zzz', suggestion: undefined },
    ]);
  });
  it('knows the built-in role names, case-insensitively', () => {
    expect(builtInRoleName('r/w user')).toBe('R/W User');
    expect(builtInRoleName(' Organization Administrator ')).toBe('Organization Administrator');
    expect(builtInRoleName('R/W User 2')).toBeUndefined();
  });
  it('splits comma-separated flag values and drops blanks and repeats', () => {
    expect(flagValues(['db-cql,db-rest', ' db-cql ', '', 'db-graphql'])).toEqual(['db-cql', 'db-rest', 'db-graphql']);
    expect(flagValues(undefined)).toEqual([]);
  });
});
