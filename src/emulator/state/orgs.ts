/** Orgs, their roles and users: the shapes, and a new org as Astra makes one (built-in roles, one admin user). */
import { BUILT_IN_ROLES } from '../built-in-roles.js';
import type { Database } from './databases.js';

export interface RolePolicy {
  description: string;
  resources: string[];
  actions: string[];
  effect: 'allow';
}

/** A role in the wire shape (primary variant) plus the emulator's own `builtIn` marker, stripped on the wire. */
export interface Role {
  id: string;
  name: string;
  policy: RolePolicy;
  last_update_datetime: string;
  last_update_userid: string;
  builtIn: boolean;
}

export interface User {
  userID: string;
  email: string;
  status: string;
  roles: string[];
}

export interface Org {
  id: string;
  name: string;
  roles: Role[];
  users: User[];
  databases: Database[];
}

export const ADMIN_ROLE_NAME = 'Organization Administrator';

/**
 * An org with the 16 built-in roles and one admin user; `index` is how many orgs exist before it (the first admin is
 * `admin@`, later ones `admin+<index>@`). Ids are drawn in order: the org's, each role's, the user's.
 */
export function newOrg(name: string, index: number, uuid: () => string, now: Date): Org {
  const org: Org = { id: uuid(), name, roles: [], users: [], databases: [] };
  const stamp = now.toISOString();
  for (const spec of BUILT_IN_ROLES) {
    org.roles.push({
      id: uuid(),
      name: spec.name,
      policy: { description: spec.description, resources: [...spec.resources], actions: [...spec.actions], effect: 'allow' },
      last_update_datetime: stamp,
      last_update_userid: 'system',
      builtIn: true,
    });
  }
  const admin = org.roles.find((r) => r.name === ADMIN_ROLE_NAME);
  org.users.push({
    userID: uuid(),
    email: index === 0 ? 'admin@emulated.example' : `admin+${index}@emulated.example`,
    status: 'active',
    roles: admin ? [admin.id] : [],
  });
  return org;
}

/** A role by id, or else by name (case-insensitive). */
export function findRoleIn(roles: readonly Role[], idOrName: string): Role | undefined {
  return roles.find((r) => r.id === idOrName) ?? roles.find((r) => r.name.toLowerCase() === idOrName.toLowerCase());
}

/** Roles on the wire: the emulator's `builtIn` marker is internal. */
export function toWireRole(role: Role): Omit<Role, 'builtIn'> {
  const { builtIn: _builtIn, ...wire } = role;
  return structuredClone(wire);
}
