// Built-in roles: the names the API uses, the labels people type, and how much each grants.
//
// The API names built-in roles by short keys ("API RO User"); the Astra portal, the DataStax docs and DataStax's
// 2021 IAM announcement show longer labels ("API Read Only User"). The pairs below are DataStax's own, from the
// `DefaultRoles` enum of the DataStax Astra Java SDK (github.com/datastax/astra-sdk-java, package
// com.dtsx.astra.sdk.org.domain), which pairs each key with "the current label on screen". One slip there is
// corrected: the SDK gives the label "Administrator User" the key "API Admin User" (which it also pairs with "API
// Administrator User"); the role list of every org has an "Admin User", the key that label belongs to.
//
// Privilege classes order suggestions: a "did you mean" never names a role that grants more than the words typed
// (read-only < read/write < admin; Billing Admin is a class of its own, below admin only).

export type PrivilegeClass = 'read-only' | 'read-write' | 'admin' | 'billing';

export interface BuiltInRole {
  /** The key the API names the role by. */
  name: string;
  /** What the portal and docs call it (none when the label is the key itself). */
  labels: readonly string[];
  privilege: PrivilegeClass;
}

export const BUILT_IN_ROLES: readonly BuiltInRole[] = [
  { name: 'Organization Administrator', labels: [], privilege: 'admin' },
  { name: 'Database Administrator', labels: [], privilege: 'admin' },
  { name: 'Billing Admin', labels: ['Billing Administrator'], privilege: 'billing' },
  { name: 'UI View Only', labels: [], privilege: 'read-only' },
  { name: 'Admin User', labels: ['Administrator User'], privilege: 'admin' },
  { name: 'RO User', labels: ['Read Only User'], privilege: 'read-only' },
  { name: 'R/W User', labels: ['Read/Write User'], privilege: 'read-write' },
  { name: 'Admin Svc Acct', labels: ['Administrator Service Account'], privilege: 'admin' },
  { name: 'RO Svc Acct', labels: ['Read Only Service Account'], privilege: 'read-only' },
  { name: 'R/W Svc Acct', labels: ['Read/Write Service Account'], privilege: 'read-write' },
  { name: 'API Admin User', labels: ['API Administrator User'], privilege: 'admin' },
  { name: 'API RO User', labels: ['API Read Only User'], privilege: 'read-only' },
  { name: 'API R/W User', labels: ['API Read/Write User'], privilege: 'read-write' },
  { name: 'API Admin Svc Acct', labels: ['API Administrator Service Account'], privilege: 'admin' },
  { name: 'API RO Svc Acct', labels: ['API Read Only Service Account'], privilege: 'read-only' },
  { name: 'API R/W Svc Acct', labels: ['API Read/Write Service Account'], privilege: 'read-write' },
];

/** The built-in roles' API names. No custom role may take one, so a name alone tells a built-in role. */
export const BUILT_IN_ROLE_NAMES: readonly string[] = BUILT_IN_ROLES.map((r) => r.name);

/** Spacing and case do not matter when a label is typed: "read only user", "Read  Only User". */
const fold = (s: string) => s.trim().replace(/\s+/g, ' ').toLowerCase();

/** The built-in role `ref` names, by its API name or its label (case-insensitive), if any. */
export function builtInRole(ref: string): BuiltInRole | undefined {
  const wanted = fold(ref);
  return BUILT_IN_ROLES.find((r) => fold(r.name) === wanted) ?? BUILT_IN_ROLES.find((r) => r.labels.some((l) => fold(l) === wanted));
}

/** The built-in role whose API name `name` is (case-insensitive; labels not included), if any. */
export const builtInRoleByName = (name: string): string | undefined => BUILT_IN_ROLE_NAMES.find((n) => fold(n) === fold(name));

/** The API name of the built-in role `ref` names (by name or label), if any. */
export const builtInRoleName = (ref: string): string | undefined => builtInRole(ref)?.name;

/** Every name and label of the built-in roles, each with the API name it stands for (for suggestions). */
export const BUILT_IN_SPELLINGS: ReadonlyArray<{ spelling: string; name: string }> = BUILT_IN_ROLES.flatMap((r) => [
  { spelling: r.name, name: r.name },
  ...r.labels.map((l) => ({ spelling: l, name: r.name })),
]);

const RANK: Record<Exclude<PrivilegeClass, 'billing'>, number> = { 'read-only': 0, 'read-write': 1, admin: 2 };

/** Whether a role of class `candidate` may be suggested to someone whose words read as class `typed`. */
export function withinClass(candidate: PrivilegeClass, typed: PrivilegeClass): boolean {
  if (candidate === typed) return true;
  if (candidate === 'billing') return typed === 'admin';
  if (typed === 'billing') return false;
  return RANK[candidate] <= RANK[typed];
}

// Words as people write them; a word one typo away still counts ("Adminstrator", "Raed").
const ADMIN_WORDS = ['admin', 'administrator', 'manage', 'manager', 'owner'];
const WRITE_WORDS = ['write', 'writer', 'rw', 'r/w', 'read/write', 'readwrite', 'edit', 'editor', 'modify'];

function near(word: string, vocabulary: readonly string[]): boolean {
  return vocabulary.some((v) => v === word || (v.length >= 5 && word.length >= 4 && distanceAtMost1(word, v)));
}

function distanceAtMost1(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  // One substitution, one insertion, one deletion, or one transposition.
  return (
    a.slice(i + 1) === b.slice(i + 1) ||
    a.slice(i) === b.slice(i + 1) ||
    a.slice(i + 1) === b.slice(i) ||
    (a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2))
  );
}

/**
 * The privilege class the words of a typed role name ask for: billing, then admin words, then write words, then read.
 * Words that name no class ask for the least ("read-only"): a suggestion never grants more than was asked for.
 */
export function classOfWords(typed: string): PrivilegeClass {
  const lower = typed.toLowerCase();
  const words = lower.split(/[\s_]+/).filter(Boolean);
  const parts = words.flatMap((w) => [w, ...w.split(/[/-]/).filter(Boolean)]);
  // "Billing Admin" administers billing only: its own class, whatever "admin" says.
  if (parts.some((w) => near(w, ['billing']))) return 'billing';
  if (parts.some((w) => near(w, ADMIN_WORDS))) return 'admin';
  if (words.some((w) => near(w, WRITE_WORDS)) || parts.some((w) => w === 'w' || near(w, ['write', 'writer']))) return 'read-write';
  return 'read-only';
}

/** Actions that read (or reach data whose own table actions decide): a role holding only these is read-only. */
const READ_ACTION = /^(?:db-cql|db-graphql|db-rest|.*-(?:read|view|describe|select))$/;
/** Actions that change data or schema of a database, no more: a role holding these (and reads) is read/write. */
const WRITE_ACTIONS = new Set([
  'db-table-modify',
  'db-keyspace-modify',
  'db-table-create',
  'db-table-alter',
  'db-keyspace-create',
  'db-keyspace-alter',
  'db-all-keyspace-create',
  'db-data-import',
]);

/**
 * The class a role's actions put it in: anything beyond reading and writing data (org writes, tokens, roles, users,
 * grants, drops, database lifecycle, and any action this tool does not know) is admin.
 */
export function classOfActions(actions: readonly string[]): PrivilegeClass {
  let cls: PrivilegeClass = 'read-only';
  for (const action of actions) {
    if (READ_ACTION.test(action)) continue;
    if (WRITE_ACTIONS.has(action)) cls = 'read-write';
    else return 'admin';
  }
  return cls;
}

/** A role's class: a built-in role's from the table, a custom role's from its actions. */
export function classOfRole(role: { name: string; actions: readonly string[]; builtIn: boolean }): PrivilegeClass {
  const known = role.builtIn ? BUILT_IN_ROLES.find((r) => fold(r.name) === fold(role.name)) : undefined;
  return known?.privilege ?? classOfActions(role.actions);
}
