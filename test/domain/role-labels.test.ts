// Built-in role labels, privilege classes, and role lookup by label with suggestions that never widen.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.js';
import { resolveRole, type NamedRole } from '../../src/domain/resolve-roles.js';
import {
  BUILT_IN_ROLES,
  builtInRoleName,
  classOfActions,
  classOfWords,
  withinClass,
  type PrivilegeClass,
} from '../../src/domain/role-labels.js';
import { isBuiltInRole } from '../../src/api/schemas.js';
import { roleNameProblem } from '../../src/domain/role-name.js';

/** The org's built-in roles, as the API lists them (ids made up), plus custom ones. */
const builtIns: NamedRole[] = BUILT_IN_ROLES.map((r, i) => ({
  id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  name: r.name,
  actions: [],
  builtIn: true,
}));

function suggestionFor(ref: string, roles = builtIns): string {
  try {
    resolveRole(roles, ref);
  } catch (err) {
    if (err instanceof AppError) return err.hint ?? '';
    throw err;
  }
  throw new Error(`'${ref}' resolved`);
}

describe('built-in role labels', () => {
  it.each([
    ['API Read Only User', 'API RO User'],
    ['api read only user', 'API RO User'],
    ['Read Only User', 'RO User'],
    ['Read/Write User', 'R/W User'],
    ['API Read/Write User', 'API R/W User'],
    ['API Read/Write Service Account', 'API R/W Svc Acct'],
    ['Read Only Service Account', 'RO Svc Acct'],
    ['Administrator User', 'Admin User'],
    ['Administrator Service Account', 'Admin Svc Acct'],
    ['API Administrator User', 'API Admin User'],
    ['API Administrator Service Account', 'API Admin Svc Acct'],
    ['API Read Only Service Account', 'API RO Svc Acct'],
    ['Billing Administrator', 'Billing Admin'],
    ['  Read  Only   User ', 'RO User'],
  ])('%j is %j', (label, name) => {
    expect(builtInRoleName(label)).toBe(name);
    expect(resolveRole(builtIns, label).name).toBe(name);
  });

  it('a role named exactly as typed wins over a label (a custom role may bear one)', () => {
    const custom = { id: 'c0ffee00-0000-4000-8000-000000000001', name: 'Read Only User', actions: ['db-cql'], builtIn: false };
    expect(resolveRole([...builtIns, custom], 'read only user').id).toBe(custom.id);
  });

  it('every built-in role has one entry; every label names one role', () => {
    const spellings = BUILT_IN_ROLES.flatMap((r) => [r.name, ...r.labels].map((s) => s.toLowerCase()));
    expect(new Set(spellings).size).toBe(spellings.length);
    expect(BUILT_IN_ROLES).toHaveLength(16);
  });
});

describe('privilege classes', () => {
  it.each<[string, PrivilegeClass]>([
    ['API Read Only Usr', 'read-only'],
    ['read only', 'read-only'],
    ['orders reader', 'read-only'],
    ['UI Veiw Only', 'read-only'],
    ['API Read/Write Usr', 'read-write'],
    ['R/W Usr', 'read-write'],
    ['orders writer', 'read-write'],
    ['Adminstrator User', 'admin'],
    ['Database Admin', 'admin'],
    ['Billing Admn', 'billing'],
  ])('the words %j ask for %s', (typed, cls) => {
    expect(classOfWords(typed)).toBe(cls);
  });

  it.each<[string[], PrivilegeClass]>([
    [['db-cql', 'db-table-select', 'org-db-view'], 'read-only'],
    [['db-cql', 'db-table-modify'], 'read-write'],
    [['db-cql', 'org-token-write'], 'admin'],
    [['db-table-drop'], 'admin'],
    [['org-something-new'], 'admin'],
  ])('the actions %j are %s', (actions, cls) => {
    expect(classOfActions(actions)).toBe(cls);
  });

  it('orders classes: read-only < read/write < admin; billing only under admin', () => {
    expect(withinClass('read-only', 'read-write')).toBe(true);
    expect(withinClass('admin', 'read-only')).toBe(false);
    expect(withinClass('read-write', 'read-only')).toBe(false);
    expect(withinClass('billing', 'read-only')).toBe(false);
    expect(withinClass('billing', 'admin')).toBe(true);
    expect(withinClass('read-only', 'billing')).toBe(false);
  });
});

describe('did-you-mean never proposes a broader role than the words typed', () => {
  it('"API Read Only Usr" suggests API RO User, never an admin or read/write role', () => {
    const hint = suggestionFor('API Read Only Usr');
    expect(hint).toMatch(/^did you mean 'API RO User'/);
    expect(hint).not.toMatch(/Admin|R\/W/);
  });

  it('"API Admin Usr" may suggest the admin role it names', () => {
    expect(suggestionFor('API Admin Usr')).toMatch(/'API Admin User'/);
  });

  it('"API R/W Usr" suggests read/write or less, never admin', () => {
    const hint = suggestionFor('API R/W Usr');
    expect(hint).toMatch(/'API R\/W User'/);
    expect(hint).not.toMatch(/Admin/);
  });

  it('a custom role is classed by its actions: a widened "orders reader" is not proposed for "orders reder"', () => {
    const widened = {
      id: 'c0ffee00-0000-4000-8000-000000000002',
      name: 'orders reader',
      actions: ['db-cql', 'org-token-write'],
      builtIn: false,
    };
    expect(suggestionFor('orders reder', [...builtIns, widened])).not.toMatch(/orders reader/);
    const plain = { ...widened, actions: ['db-cql', 'db-table-select'] };
    expect(suggestionFor('orders reder', [...builtIns, plain])).toMatch(/^did you mean 'orders reader'/);
  });
});

describe('built-in roles are told by name and type, never by a resource', () => {
  it.each<[string, string | null, boolean]>([
    ['RO User', null, true],
    ['ro user', null, true],
    ['orders reader', null, false],
    ['orders reader', 'built-in', true],
    ['RO User', 'custom', false],
  ])('%j (type %j) built-in: %s', (name, type, builtIn) => {
    expect(isBuiltInRole(name, type)).toBe(builtIn);
  });
});

describe('role names', () => {
  it.each([
    ['reader\u202e', /bidi control \(U\+202E\)/],
    ['a\u2066b\u2069', /bidi control \(U\+2066\)/],
    ['a\u200eb', /bidi control \(U\+200E\)/],
    ['a\nb', /line break \(U\+000A\)/],
    ['a\rb', /line break \(U\+000D\)/],
    ['a\u2029b', /line break \(U\+2029\)/],
    ['a\u001b[31mb', /control characters \(U\+001B\)/],
    ['a\u0007b', /control characters \(U\+0007\)/],
    ['a\u009db', /control characters \(U\+009D\)/],
    ['   ', /empty/],
  ])('%j is refused', (name, why) => {
    expect(roleNameProblem(name)).toMatch(why);
  });

  it.each(['orders Database Administrator', 'R/W User', 'lecture écriture', '読み取り', 'a-b_c (keyspace x)'])('%j is a name', (name) => {
    expect(roleNameProblem(name)).toBeUndefined();
  });
});
