// Role references typed by users ("Database Administrator", "r/w user", "API Read Only User", or a role id) become
// role ids. The API silently accepts a role *name* on token create and makes a token with no role, so this runs
// before every create.
import { UsageError } from '../errors.js';
import { resolveByName } from './resolve-by-name.js';
import { BUILT_IN_SPELLINGS, builtInRoleName, classOfRole, classOfWords, withinClass } from './role-labels.js';
import { closestNames } from './suggest.js';

/** A role as name lookup reads it (the API client's Role has this shape). */
export interface NamedRole {
  id: string;
  name: string;
  /** What the role allows and whether it is built in: a suggestion's privilege class (absent: read as no actions). */
  actions?: readonly string[];
  builtIn?: boolean;
}

/**
 * A role reference as typed, trimmed; the empty one is a usage error. Verbs call it on their `--role` values before
 * any request: a bad flag is found before the reads go out, not after they return.
 */
export function checkRoleRef(ref: string, flag?: string): string {
  const wanted = ref.trim();
  if (wanted === '') {
    throw new UsageError(`${flag ? `${flag}: ` : ''}a role name or id must not be empty`, {
      hint: "see 'astra-token role list' for the roles of this org",
    });
  }
  return wanted;
}

/**
 * Finds one role by id (exact), by name (case-insensitive, exact) or, for a built-in role, by the label the portal
 * shows ("API Read Only User" is "API RO User"). A miss proposes the closest names, but never a role of a broader
 * privilege class than the words typed: "API Read Only Usr" may suggest "API RO User", never "API Admin User".
 */
export function resolveRole<R extends NamedRole>(roles: readonly R[], ref: string): R {
  const wanted = checkRoleRef(ref);
  return resolveByName(roles, wanted, {
    kind: 'role',
    nameOf: (r) => r.name,
    idOf: (r) => r.id,
    aliasOf: builtInRoleName,
    suggest: suggestRoles,
    notFound: { seeAlso: "(see 'astra-token role list')", otherwise: "see 'astra-token role list' for the roles of this org" },
  });
}

function suggestRoles<R extends NamedRole>(ref: string, roles: readonly R[]): string[] {
  const asked = classOfWords(ref);
  const allowed = roles.filter((r) =>
    withinClass(classOfRole({ name: r.name, actions: r.actions ?? [], builtIn: r.builtIn ?? false }), asked),
  );
  const names = new Set(allowed.map((r) => r.name.toLowerCase()));
  // Each allowed role by its name and, for a built-in one, by its labels; a label found stands for its role's name.
  const spellings = new Map<string, string>(allowed.map((r) => [r.name, r.name]));
  for (const { spelling, name } of BUILT_IN_SPELLINGS) {
    const role = allowed.find((r) => r.name.toLowerCase() === name.toLowerCase());
    if (role && names.has(name.toLowerCase())) spellings.set(spelling, role.name);
  }
  return [...new Set(closestNames(ref, [...spellings.keys()], 6).map((s) => spellings.get(s)!))].slice(0, 3);
}

/** Resolves several references, dropping duplicates while keeping the order given. */
export function resolveRoles<R extends NamedRole>(roles: readonly R[], refs: readonly string[]): R[] {
  const seen = new Set<string>();
  const out: R[] = [];
  for (const ref of refs) {
    const role = resolveRole(roles, ref);
    if (!seen.has(role.id)) {
      seen.add(role.id);
      out.push(role);
    }
  }
  return out;
}

// One lookup per list of roles, however many tokens ask (a list of 10 000 tokens shares the org's one role list).
const lookups = new WeakMap<readonly NamedRole[], ReadonlyMap<string, string>>();
function namesById(roles: readonly NamedRole[]): ReadonlyMap<string, string> {
  let byId = lookups.get(roles);
  if (!byId) lookups.set(roles, (byId = new Map(roles.map((r) => [r.id, r.name]))));
  return byId;
}

/**
 * `{id, name}` pairs for output. An id with no matching role is a deleted role: its name is null. When the roles
 * could not be read at all (`namesKnown: false`), the id stands in for every name instead.
 */
export function roleRefs(
  roles: readonly NamedRole[],
  ids: readonly string[],
  namesKnown = true,
): Array<{ id: string; name: string | null }> {
  const byId = namesById(roles);
  return ids.map((id) => ({ id, name: byId.get(id) ?? (namesKnown ? null : id) }));
}

/** How a role reference reads to a person: its name, or its id marked as deleted (`(deleted) <id>`). */
export function roleLabel(ref: { id: string; name: string | null }): string {
  // The marker first: a column shortened to fit the terminal cuts the id, never the marker.
  return ref.name ?? `(deleted) ${ref.id}`;
}
