/**
 * `astra-token emulator --seed <file>`: custom roles and tokens of any age and expiry in the default org, so that
 * prune and audit scripts can be tried offline. The file is JSON:
 *
 *   { "roles":  [{ "name": "ci reader", "actions": ["db-table-read"], "resources": ["drn:astra:org:__ORG_ID__"] }],
 *     "tokens": [{ "roles": ["RO User"], "description": "old ci", "age": "200d", "expiresIn": "-3d" }] }
 *
 * A token's creation time is `generatedOn` (an ISO-8601 instant) or `age` (a duration before now); its expiry is
 * `expiresAt` (an instant, or null for never) or `expiresIn` (a duration from now, `-` before it for the past);
 * neither means never. Roles are named as `token create --role` takes them (name or id; seeded roles included).
 * Everything is checked before anything is added: a bad entry is a SeedError naming where it is (`tokens[2].age`).
 */
import { parseDurationMs, parseInstant } from '../../domain/time.js';
import { ORG_ID_PLACEHOLDER } from '../built-in-roles.js';
import type { EmulatorState } from './emulator-state.js';
import { findRoleIn, type Role } from './orgs.js';

export class SeedError extends Error {}

interface TokenSeed {
  roles: string[];
  description: string;
  generatedOn: Date;
  expiresAt: Date | null;
}

/** What a seed added: the number of roles and tokens. */
export interface SeedSummary {
  roles: number;
  tokens: number;
}

const TOP_KEYS = ['roles', 'tokens'];
const ROLE_KEYS = ['name', 'actions', 'resources', 'description'];
const TOKEN_KEYS = ['roles', 'description', 'generatedOn', 'age', 'expiresAt', 'expiresIn'];

/** Validates the whole seed, then adds its roles and tokens to the default org. */
export function applySeed(state: EmulatorState, json: unknown): SeedSummary {
  const top = record(json, 'the seed');
  onlyKeys(top, TOP_KEYS, 'the seed');
  const org = state.defaultOrg;
  const now = state.now();
  const roleList = list(top.roles, 'roles');
  const tokenList = list(top.tokens, 'tokens');

  const roles: Role[] = [];
  roleList.forEach((raw, i) => {
    const where = `roles[${i}]`;
    const r = record(raw, where);
    onlyKeys(r, ROLE_KEYS, where);
    const name = text(r.name, `${where}.name`, false);
    if (findRoleIn([...org.roles, ...roles], name)) {
      throw new SeedError(`${where}.name: a role named ${JSON.stringify(name)} already exists`);
    }
    const actions = strings(r.actions, `${where}.actions`);
    if (actions.length === 0) throw new SeedError(`${where}.actions: give at least one action`);
    const resources = r.resources === undefined ? [`drn:astra:org:${org.id}`] : strings(r.resources, `${where}.resources`);
    roles.push({
      id: state.uuid(),
      name,
      policy: {
        description: r.description === undefined ? name : text(r.description, `${where}.description`, true),
        resources: resources.map((drn) => drn.replaceAll(ORG_ID_PLACEHOLDER, org.id)),
        actions,
        effect: 'allow',
      },
      last_update_datetime: now.toISOString(),
      last_update_userid: 'seed',
      builtIn: false,
    });
  });
  const known = [...org.roles, ...roles];

  const tokens: TokenSeed[] = tokenList.map((raw, i) => {
    const where = `tokens[${i}]`;
    const t = record(raw, where);
    onlyKeys(t, TOKEN_KEYS, where);
    const roleRefs = strings(t.roles, `${where}.roles`);
    if (roleRefs.length === 0) throw new SeedError(`${where}.roles: give at least one role`);
    const roleIds = roleRefs.map((ref, j) => {
      const role = findRoleIn(known, ref);
      if (!role) throw new SeedError(`${where}.roles[${j}]: no role ${JSON.stringify(ref)} (built-in or seeded)`);
      return role.id;
    });
    const description = t.description === undefined ? '' : text(t.description, `${where}.description`, true);
    if (t.generatedOn !== undefined && t.age !== undefined) throw new SeedError(`${where}: give generatedOn or age, not both`);
    if (t.expiresAt !== undefined && t.expiresIn !== undefined) throw new SeedError(`${where}: give expiresAt or expiresIn, not both`);
    const generatedOn =
      t.generatedOn !== undefined
        ? instant(t.generatedOn, `${where}.generatedOn`)
        : t.age !== undefined
          ? new Date(now.getTime() - duration(t.age, `${where}.age`, false))
          : now;
    if (generatedOn.getTime() > now.getTime()) throw new SeedError(`${where}: created in the future (${generatedOn.toISOString()})`);
    const expiresAt =
      t.expiresAt !== undefined && t.expiresAt !== null
        ? instant(t.expiresAt, `${where}.expiresAt`)
        : t.expiresIn !== undefined
          ? new Date(now.getTime() + duration(t.expiresIn, `${where}.expiresIn`, true))
          : null;
    if (expiresAt !== null && expiresAt.getTime() <= generatedOn.getTime()) {
      throw new SeedError(`${where}: expires (${expiresAt.toISOString()}) before it was created (${generatedOn.toISOString()})`);
    }
    return { roles: roleIds, description, generatedOn, expiresAt };
  });

  org.roles.push(...roles);
  for (const t of tokens) state.mintToken(org.id, t.roles, t.description, t.expiresAt, t.generatedOn);
  return { roles: roles.length, tokens: tokens.length };
}

function record(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new SeedError(`${where}: expected a JSON object`);
  return value as Record<string, unknown>;
}

function onlyKeys(value: Record<string, unknown>, allowed: readonly string[], where: string): void {
  const extra = Object.keys(value).find((k) => !allowed.includes(k));
  if (extra !== undefined) throw new SeedError(`${where}: unknown key ${JSON.stringify(extra)} (expected ${allowed.join(', ')})`);
}

function list(value: unknown, where: string): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new SeedError(`${where}: expected a JSON array`);
  return value;
}

function text(value: unknown, where: string, emptyOk: boolean): string {
  if (typeof value !== 'string') throw new SeedError(`${where}: expected a string`);
  if (!emptyOk && value.trim() === '') throw new SeedError(`${where}: must not be empty`);
  return value;
}

function strings(value: unknown, where: string): string[] {
  if (!Array.isArray(value)) throw new SeedError(`${where}: expected an array of strings`);
  return value.map((v, i) => text(v, `${where}[${i}]`, false));
}

function instant(value: unknown, where: string): Date {
  const date = typeof value === 'string' ? parseInstant(value) : undefined;
  if (!date) throw new SeedError(`${where}: expected an ISO-8601 instant such as 2026-01-31T12:00:00Z`);
  return date;
}

/** A duration such as `200d`; with `signed`, a leading `-` puts it in the past. */
function duration(value: unknown, where: string, signed: boolean): number {
  const raw = typeof value === 'string' ? value.trim() : '';
  const negative = signed && raw.startsWith('-');
  const ms = parseDurationMs(negative ? raw.slice(1) : raw);
  if (ms === undefined) {
    throw new SeedError(`${where}: expected a duration such as 30d, 12h or P90D${signed ? ' (-3d for the past)' : ''}`);
  }
  return negative ? -ms : ms;
}
