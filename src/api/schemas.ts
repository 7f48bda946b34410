// Response schemas of the DevOps API, lenient where the API varies (DEVOPS-API.md): key casing (`ID`/`id`,
// `OrgID`/`orgID`, `last_update_datetime`/`LastUpdateDateTime`), a policy sent as a JSON string, missing
// `description`/`tokenExpiry`. Every response is normalised to one internal shape.
import { z } from 'zod';
import { parseInstant } from '../time.js';

/** Lower-cases keys and drops `_` so that `LastUpdateDateTime` and `last_update_datetime` meet. */
function foldKeys(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[key.toLowerCase().replace(/_/g, '')] = v;
  return out;
}

const folded = <T extends z.ZodRawShape>(shape: T) => z.preprocess(foldKeys, z.object(shape));

const instant = z.string().transform((s, ctx) => {
  const date = parseInstant(s);
  if (!date) {
    ctx.addIssue({ code: 'custom', message: `not an ISO-8601 instant: ${s.slice(0, 40)}` });
    return z.NEVER;
  }
  return date.toISOString();
});

/** A timestamp shown for information only: normalised when readable, kept as sent otherwise (never fatal). */
const looseInstant = z
  .string()
  .nullish()
  .transform((s) => (s ? (parseInstant(s)?.toISOString() ?? s) : null));

const optionalText = z
  .string()
  .nullish()
  .transform((s) => s ?? '');

export const tokenInfoSchema = folded({
  clientid: z.string().min(1),
  roles: z.array(z.string()).nullish(),
  generatedon: instant.nullish(),
  description: optionalText,
  tokenexpiry: z
    .union([instant, z.literal('')])
    .nullish()
    .transform((s) => (s ? s : null)),
}).transform((t) => ({
  clientId: t.clientid,
  roles: t.roles ?? [],
  generatedOn: t.generatedon ?? null,
  description: t.description,
  expiresAt: t.tokenexpiry,
}));
export type TokenInfo = z.output<typeof tokenInfoSchema>;

export const tokenListSchema = folded({ clients: z.array(tokenInfoSchema).nullish() }).transform((r) => r.clients ?? []);

export const createdTokenSchema = folded({
  clientid: z.string().min(1),
  secret: z.string().min(1),
  orgid: z.string().nullish(),
  roles: z.array(z.string()).nullish(),
  token: z.string().min(1),
  generatedon: instant.nullish(),
  description: z.string().nullish(),
  tokenexpiry: instant.nullish(),
}).transform((t) => ({
  clientId: t.clientid,
  secret: t.secret,
  orgId: t.orgid ?? null,
  roles: t.roles ?? [],
  token: t.token,
  generatedOn: t.generatedon ?? null,
  description: t.description ?? undefined,
  expiresAt: t.tokenexpiry ?? undefined,
}));
export type CreatedToken = z.output<typeof createdTokenSchema>;

/** The policy arrives as an object or as a JSON-encoded string. */
const policySchema = z.preprocess(
  (v) => {
    if (typeof v !== 'string') return foldKeys(v);
    try {
      return foldKeys(JSON.parse(v));
    } catch {
      return v;
    }
  },
  z.object({
    description: optionalText,
    resources: z.array(z.string()).nullish(),
    actions: z.array(z.string()).nullish(),
    effect: z.string().nullish(),
  }),
);

export const ORG_ID_PLACEHOLDER = '__ORG_ID__';

export const roleSchema = folded({
  id: z.string().min(1),
  name: z.string(),
  policy: policySchema.nullish(),
  lastupdatedatetime: looseInstant,
  type: z.string().nullish(),
}).transform((r) => {
  const resources = r.policy?.resources ?? [];
  return {
    id: r.id,
    name: r.name,
    description: r.policy?.description ?? '',
    effect: r.policy?.effect ?? 'allow',
    actions: r.policy?.actions ?? [],
    resources,
    // Built-in roles are written against a placeholder org; custom roles carry the real org id.
    builtIn: resources.some((res) => res.includes(ORG_ID_PLACEHOLDER)),
    lastUpdated: r.lastupdatedatetime,
  };
});
export type Role = z.output<typeof roleSchema>;
export const roleListSchema = z.array(roleSchema);

export const currentOrgSchema = folded({ id: z.string().min(1) }).transform((o) => ({ id: o.id }));

const userSchema = folded({
  userid: z.string().nullish(),
  email: z.string().nullish(),
  status: z.string().nullish(),
  roles: z
    .array(folded({ id: z.string(), name: z.string().nullish() }).transform((r) => ({ id: r.id, name: r.name ?? '' })))
    .nullish(),
}).transform((u) => ({
  userId: u.userid ?? '',
  email: u.email ?? '',
  status: u.status ?? '',
  roles: u.roles ?? [],
}));

export const orgUsersSchema = folded({
  orgid: z.string().nullish(),
  orgname: z.string().nullish(),
  users: z.array(userSchema).nullish(),
}).transform((o) => ({ orgId: o.orgid ?? null, orgName: o.orgname ?? null, users: o.users ?? [] }));
export type OrgUsers = z.output<typeof orgUsersSchema>;

export const databaseSchema = folded({
  id: z.string().min(1),
  info: z.preprocess(foldKeys, z.object({ name: z.string().nullish() }).loose()).nullish(),
  status: z.string().nullish(),
  orgid: z.string().nullish(),
}).transform((d) => ({ id: d.id, name: d.info?.name ?? '', status: d.status ?? '', orgId: d.orgid ?? null }));
export type Database = z.output<typeof databaseSchema>;
export const databaseListSchema = z.array(databaseSchema);

/** What a role create or update sends. */
export interface RolePolicy {
  description: string;
  resources: string[];
  actions: string[];
  effect: 'allow';
}
