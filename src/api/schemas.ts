// Response schemas of the DevOps API, lenient where the API varies (docs/devops-api.md): key casing (`ID`/`id`,
// `OrgID`/`orgID`, `last_update_datetime`/`LastUpdateDateTime`), a policy sent as a JSON string, missing
// `description`/`tokenExpiry`. Every response is normalised to one internal shape.
// zod/mini rather than the classic API: the same validation, ~12 KB instead of ~450 KB to load on every request.
import * as z from 'zod/mini';
import { normalInstant } from '../domain/time.js';
import { BUILT_IN_ROLE_NAMES } from '../domain/role-labels.js';

// Keys repeat in every item of a list: each is folded once.
const foldedKeys = new Map<string, string>();

/** Lower-cases keys and drops `_` so that `LastUpdateDateTime` and `last_update_datetime` meet. */
export function foldKeys(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    let folded = foldedKeys.get(key);
    if (folded === undefined) {
      folded = key.toLowerCase().replace(/_/g, '');
      if (foldedKeys.size < 1000) foldedKeys.set(key, folded);
    }
    out[folded] = (value as Record<string, unknown>)[key];
  }
  return out;
}

/** An object whose keys are folded first; `then` maps it to the internal shape. */
export function folded<S extends z.core.$ZodLooseShape, O>(shape: S, then: (value: z.output<z.ZodMiniObject<S>>) => O) {
  return z.pipe(z.pipe(z.transform(foldKeys), z.object(shape)), z.transform(then));
}

const nonEmpty = () => z.string().check(z.minLength(1));
const text = () => z.nullish(z.string());

/** A timestamp shown for information only: normalised when readable, kept as sent otherwise (never fatal). */
const looseInstant = z.pipe(
  text(),
  z.transform((s) => (s ? (normalInstant(s) ?? s) : null)),
);

/** An instant that is informational here: null when missing or unreadable, never a reason to fail the answer. */
const lenientInstant = z.pipe(
  z.optional(z.unknown()),
  z.transform((v) => (typeof v === 'string' ? (normalInstant(v) ?? null) : null)),
);

/**
 * A date of a listed token: normalised when readable, else the value exactly as sent. One odd token (an expiry the
 * API itself stored as `+021192-...`) must not make every list, delete, rotate and prune of the org fail; the views
 * show the raw value and call its status unknown. Missing, null or "" is null (for an expiry: never expires).
 */
const tokenInstant = z.pipe(
  z.optional(z.unknown()),
  z.transform((v) => {
    if (v === undefined || v === null || v === '') return null;
    const raw = typeof v === 'string' ? v : JSON.stringify(v);
    return normalInstant(raw) ?? raw;
  }),
);

const optionalText = z.pipe(
  text(),
  z.transform((s) => s ?? ''),
);

export const tokenInfoSchema = folded(
  {
    clientid: nonEmpty(),
    roles: z.nullish(z.array(z.string())),
    generatedon: tokenInstant,
    description: optionalText,
    tokenexpiry: tokenInstant,
  },
  (t) => ({
    clientId: t.clientid,
    roles: t.roles ?? [],
    generatedOn: t.generatedon,
    description: t.description,
    expiresAt: t.tokenexpiry,
  }),
);
export type TokenInfo = z.output<typeof tokenInfoSchema>;

export const tokenListSchema = folded({ clients: z.nullish(z.array(tokenInfoSchema)) }, (r) => r.clients ?? []);

const TOKEN_KEYS = new Set(['clientId', 'roles', 'generatedOn', 'description', 'tokenExpiry']);
const isText = (v: unknown) => v === undefined || v === null || typeof v === 'string';

/**
 * tokenListSchema's result for the list as the API documents it (those five keys, spelt so, each of its type), read
 * without zod: a list of 10 000 tokens costs zod ~50-100 ms. Undefined for anything else (other casing, extra keys,
 * a wrong type): the schema then reads it, and words what is wrong. Kept equal to the schema by a test.
 */
export function plainTokenList(data: unknown): TokenInfo[] | undefined {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return undefined;
  const keys = Object.keys(data);
  if (keys.length !== 1 || keys[0] !== 'clients') return undefined;
  const clients = (data as { clients: unknown }).clients;
  if (!Array.isArray(clients)) return undefined;
  const out: TokenInfo[] = [];
  for (const item of clients as unknown[]) {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return undefined;
    const t = item as Record<string, unknown>;
    for (const key in t) if (!TOKEN_KEYS.has(key)) return undefined;
    const { clientId, roles, generatedOn, description, tokenExpiry } = t;
    if (typeof clientId !== 'string' || clientId === '' || !isText(generatedOn) || !isText(description) || !isText(tokenExpiry)) {
      return undefined;
    }
    if (roles !== undefined && roles !== null && !(Array.isArray(roles) && roles.every((r) => typeof r === 'string'))) return undefined;
    out.push({
      clientId,
      roles: roles ?? [],
      generatedOn: plainInstant(generatedOn),
      description: description ?? '',
      expiresAt: plainInstant(tokenExpiry),
    });
  }
  return out;
}

/** tokenInstant for a string or nothing. */
function plainInstant(v: string | null | undefined): string | null {
  return v === undefined || v === null || v === '' ? null : (normalInstant(v) ?? v);
}

export const createdTokenSchema = folded(
  {
    clientid: nonEmpty(),
    secret: nonEmpty(),
    orgid: text(),
    roles: z.nullish(z.array(z.string())),
    // Optional in the published description (then built from the client id and secret by the caller).
    token: z.pipe(
      text(),
      z.transform((v) => (v ? v : null)),
    ),
    // The token exists once this answer arrives: only what cannot be done without (id, secret, token) is strict,
    // so an odd informational field never costs the user the only sight of the secret.
    generatedon: lenientInstant,
    description: z.pipe(
      z.optional(z.unknown()),
      z.transform((v) => (typeof v === 'string' ? v : null)),
    ),
    tokenexpiry: lenientInstant,
  },
  (t) => ({
    clientId: t.clientid,
    secret: t.secret,
    orgId: t.orgid ?? null,
    roles: t.roles ?? [],
    token: t.token,
    generatedOn: t.generatedon ?? null,
    description: t.description ?? undefined,
    expiresAt: t.tokenexpiry ?? undefined,
  }),
);
export type CreatedToken = z.output<typeof createdTokenSchema>;

/** The policy arrives as an object or as a JSON-encoded string. */
const policySchema = z.pipe(
  z.transform((v: unknown) => {
    if (typeof v !== 'string') return foldKeys(v);
    try {
      return foldKeys(JSON.parse(v));
    } catch {
      return v;
    }
  }),
  z.object({
    description: optionalText,
    resources: z.nullish(z.array(z.string())),
    actions: z.nullish(z.array(z.string())),
    effect: text(),
  }),
);

const BUILT_IN_NAMES = new Set(BUILT_IN_ROLE_NAMES.map((n) => n.toLowerCase()));

/**
 * Built-in roles are known by what marks them: a `type` that says so where the API sends one, else their fixed
 * names, which no custom role may take. Never by their resources: a custom role may hold any text in a resource
 * (even the `__ORG_ID__` placeholder the built-ins are written against), and must not pass for built-in by it.
 */
export function isBuiltInRole(name: string, type: string | null | undefined): boolean {
  const kind = type?.trim().toLowerCase() ?? '';
  if (/custom|user-defined/.test(kind)) return false;
  if (/default|built-?in|system|predefined|standard/.test(kind)) return true;
  return BUILT_IN_NAMES.has(name.trim().toLowerCase());
}

export const roleSchema = folded(
  {
    id: nonEmpty(),
    name: z.string(),
    policy: z.nullish(policySchema),
    lastupdatedatetime: looseInstant,
    type: text(),
  },
  (r) => {
    const resources = r.policy?.resources ?? [];
    return {
      id: r.id,
      name: r.name,
      description: r.policy?.description ?? '',
      effect: r.policy?.effect ?? 'allow',
      actions: r.policy?.actions ?? [],
      resources,
      builtIn: isBuiltInRole(r.name, r.type),
      lastUpdated: r.lastupdatedatetime,
    };
  },
);
export type Role = z.output<typeof roleSchema>;
export const roleListSchema = z.array(roleSchema);

export const currentOrgSchema = folded({ id: nonEmpty() }, (o) => ({ id: o.id }));

const userSchema = folded(
  {
    userid: text(),
    email: text(),
    status: text(),
    roles: z.nullish(z.array(folded({ id: z.string(), name: text() }, (r) => ({ id: r.id, name: r.name ?? '' })))),
  },
  (u) => ({
    userId: u.userid ?? '',
    email: u.email ?? '',
    status: u.status ?? '',
    roles: u.roles ?? [],
  }),
);

export const orgUsersSchema = folded(
  {
    orgid: text(),
    orgname: text(),
    users: z.nullish(z.array(userSchema)),
  },
  (o) => ({ orgId: o.orgid ?? null, orgName: o.orgname ?? null, users: o.users ?? [] }),
);
export type OrgUsers = z.output<typeof orgUsersSchema>;

export const databaseSchema = folded(
  {
    id: nonEmpty(),
    info: z.nullish(z.pipe(z.transform(foldKeys), z.looseObject({ name: text(), region: text() }))),
    status: text(),
    orgid: text(),
  },
  (d) => ({ id: d.id, name: d.info?.name ?? '', region: d.info?.region ?? '', status: d.status ?? '', orgId: d.orgid ?? null }),
);
export type Database = z.output<typeof databaseSchema>;
export const databaseListSchema = z.array(databaseSchema);

/** What a role create or update sends. */
export interface RolePolicy {
  description: string;
  resources: string[];
  actions: string[];
  /** `allow` for every role this tool creates; an existing role's effect is sent back unchanged. */
  effect: string;
}
