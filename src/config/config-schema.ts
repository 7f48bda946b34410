// The schema of the profile store's file (`config.json`), versions 1 and 2. Strict: anything unexpected is reported
// (the first problem, in the order a reader would check) rather than dropped and later overwritten; keys it does not
// know, at the top and in profiles, are kept for a newer version. The messages are what users see after
// "cannot read the profile store <path>: ". zod/mini, already loaded for the API, keeps this cheap.
import * as z from 'zod/mini';
import { inspectTokenShape } from '../domain/token-format.js';

export type ApiEnvironment = 'prod' | 'dev' | 'test';

/** Where a profile's token lives: the OS keychain, or this file (0600). */
export type TokenStorage = 'keyring' | 'file';

export interface Profile {
  name: string;
  storage: TokenStorage;
  /** The token itself: file profiles only. */
  token?: string;
  /** The keychain entry's account (service `astra-token`), a random id: keychain profiles only. */
  account?: string;
  /** The token's client id (not secret): which profile holds which token, without reading a secret. */
  clientId: string;
  apiUrl: string;
  env?: ApiEnvironment;
  orgId?: string;
  orgName?: string;
  streamingApiUrl?: string;
  /** Defaults for `streaming token --tenant/--cluster`. */
  streamingTenant?: string;
  streamingCluster?: string;
  /** ISO instant of the last write of this profile. */
  updatedAt: string;
}

/**
 * 2: profiles say where their token lives (`storage`) and keep its `clientId`; keychain profiles hold no token.
 * Version 1 files (every token in the file) are read and upgraded on the next write; builds that know only version
 * 1 refuse a version 2 file as not theirs.
 */
export const STORE_VERSION = 2;

export interface ConfigData {
  version: typeof STORE_VERSION;
  current: string | null;
  /** An array, not a map: profile names are arbitrary strings and never key paths. */
  profiles: Profile[];
}

/** The client id part of a token (`AstraCS:<clientId>:<secret>`), '' when it has none. */
export function clientIdOf(token: string): string {
  return inspectTokenShape(token).clientId ?? '';
}

/** A non-empty string; anything else is `message`. */
const present = (message: string) => z.string(message).check(z.minLength(1, message));
const optionalString = (key: string) => z.optional(z.string(`has a "${key}" that is not a string`));

/** What every profile has, in the order its problems are reported. */
const profileBase = {
  name: present('has no "name"'),
  apiUrl: present('has no "apiUrl"'),
  env: optionalString('env'),
  orgId: optionalString('orgId'),
  orgName: optionalString('orgName'),
  streamingApiUrl: optionalString('streamingApiUrl'),
  streamingTenant: optionalString('streamingTenant'),
  streamingCluster: optionalString('streamingCluster'),
  updatedAt: optionalString('updatedAt'),
};
const NOT_AN_OBJECT = 'is not an object';

/** Version 1: every token is in the file; read as a file profile. */
const profileV1 = z.pipe(
  z.looseObject({ ...profileBase, token: present('has no "token"') }, NOT_AN_OBJECT),
  z.transform((p) => ({ ...p, storage: 'file', clientId: clientIdOf(p.token) }) as Profile),
);

const clientId = z.string('has no "clientId"');

/**
 * Version 2: the common fields first, then what the profile's storage requires (the second step checks the common
 * fields again, which is what types them; it never finds a new problem there).
 */
const profileV2 = z.pipe(
  z.looseObject(profileBase, NOT_AN_OBJECT),
  z.pipe(
    z.discriminatedUnion(
      'storage',
      [
        z.looseObject({ ...profileBase, storage: z.literal('file'), token: present('has no "token"'), clientId }),
        z.looseObject({
          ...profileBase,
          storage: z.literal('keyring'),
          account: present('keeps its token in the keychain but has no "account"'),
          token: z.optional(z.never('keeps its token in the keychain and also has a "token"')),
          clientId,
        }),
      ],
      'has no "storage" ("keyring" or "file")',
    ),
    z.transform((p) => p as unknown as Profile),
  ),
);

/** The entries every version has; `current` is checked after the profiles (the first problem is the one reported). */
const configShape = <V extends z.core.$ZodType<1 | 2 | undefined, 1 | 2 | undefined>, P extends z.core.$ZodType<Profile>>(
  version: V,
  profile: P,
) =>
  z.looseObject({
    version,
    profiles: z._default(z.array(profile, 'its "profiles" entry is not a list'), []),
    current: z.nullish(z.string('its "current" entry is not a profile name')),
  });

export const configFileSchema = z.pipe(
  z.looseObject(
    {
      version: z.optional(
        z.literal([1, STORE_VERSION], {
          error: (issue) => `it has version ${JSON.stringify(issue.input)}, this astra-token understands versions 1 and ${STORE_VERSION}`,
        }),
      ),
    },
    'it does not hold a JSON object',
  ),
  z.discriminatedUnion('version', [configShape(z.optional(z.literal(1)), profileV1), configShape(z.literal(STORE_VERSION), profileV2)]),
);

/** The message for the first problem in the file: profiles are named by their position ("profile #2 has no ..."). */
export function configProblem(issues: readonly z.core.$ZodIssue[]): string {
  const issue = issues[0];
  if (!issue) return 'it is not a profile store';
  const [entry, index] = issue.path;
  return entry === 'profiles' && typeof index === 'number' ? `profile #${index + 1} ${issue.message}` : issue.message;
}
