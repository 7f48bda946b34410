// The token selectors that `token list`, `token prune` and `token audit` share: `--role`, `--older-than`,
// `--expired`, `--expiring-within` and `--description <glob>`. One declaration per flag (the same spelling and help
// everywhere) and one meaning: a token is selected when it matches every selector given.
import { Option, type Command, type OptionValues } from '@commander-js/extra-typings';
import type { Role } from '../../api/schemas.js';
import { isNotFound } from '../../errors.js';
import { checkRoleRef, resolveRole } from '../../domain/resolve-roles.js';
import { duration } from '../values.js';
import type { TokenView } from './token-view.js';

export const roleSelector = () => new Option('--role <name-or-id>', 'only tokens holding this role (name, portal label or id)');

export const olderThanSelector = () =>
  new Option('--older-than <duration>', 'only tokens created longer ago than this (e.g. 90d, 12w, P180D)').argParser(duration);

export const expiredSelector = () => new Option('--expired', 'only tokens that have expired');

export const expiringWithinSelector = () =>
  new Option('--expiring-within <duration>', 'only tokens not yet expired that expire within this time (e.g. 7d, 12h)').argParser(duration);

export const descriptionSelector = () =>
  new Option('--description <glob>', 'only tokens whose whole description matches this glob (* any text, ? one character)');

/** What the selectors read of a verb's options (each verb declares those it offers). */
export interface SelectorValues {
  role?: string;
  olderThan?: number;
  expired?: true;
  expiringWithin?: number;
  description?: string;
}

/** The selectors of one run, checked before any request; `bind` adds what needs the org (the role's id). */
export interface Selection {
  /** How many selectors were given. */
  readonly count: number;
  /** True when `--role` was given: the org's roles must be read to resolve it. */
  readonly needsRoles: boolean;
  /** The predicate over the org's tokens; `--role` is resolved against its roles (or a deleted role's id on a token). */
  bind(roles: readonly Role[], tokens: readonly TokenView[]): (t: TokenView) => boolean;
}

/** The selectors given, with their values checked (a bad duration is a usage error naming the flag). */
export function parseSelectors(values: SelectorValues, now: Date): Selection {
  const tests: Array<(t: TokenView) => boolean> = [];
  if (values.expired) tests.push((t) => t.status === 'expired');
  if (values.olderThan !== undefined) {
    const cutoff = now.getTime() - values.olderThan;
    // A token without a readable creation time has no known age: it never matches.
    tests.push((t) => (t.generatedMs ?? Infinity) < cutoff);
  }
  if (values.expiringWithin !== undefined) {
    const limit = now.getTime() + values.expiringWithin;
    // Tokens that will expire within the window; ones already expired are `--expired`'s business.
    tests.push((t) => t.status !== 'expired' && (t.expiresMs ?? Infinity) <= limit);
  }
  if (values.description !== undefined) {
    const pattern = globPattern(values.description);
    tests.push((t) => pattern.test(t.description));
  }
  const role = values.role === undefined ? undefined : checkRoleRef(values.role, '--role');
  return {
    count: tests.length + (role === undefined ? 0 : 1),
    needsRoles: role !== undefined,
    bind(roles, tokens) {
      const all = [...tests];
      if (role !== undefined) {
        const roleId = roleIdFor(role, roles, tokens);
        all.push((t) => t.roles.some((r) => r.id === roleId));
      }
      return (t) => all.every((test) => test(t));
    },
  };
}

/** A glob over the whole description: `*` any run of characters, `?` one character, everything else literal. */
export function globPattern(glob: string): RegExp {
  const source = [...glob].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${source}$`, 's');
}

/**
 * The role a `--role` selector means. A role that was deleted can still be named on tokens by its id: that id is
 * accepted as it is rather than reported as unknown.
 */
function roleIdFor(ref: string, roles: readonly Role[], tokens: readonly TokenView[]): string {
  try {
    return resolveRole(roles, ref).id;
  } catch (err) {
    const wanted = ref.trim();
    if (isNotFound(err) && tokens.some((t) => t.roles.some((r) => r.id === wanted))) {
      return wanted;
    }
    throw err;
  }
}

/** All five selectors, for the verbs that offer them all (`token list`, `token prune`). */
export function allSelectors<A extends unknown[], O extends OptionValues, G extends OptionValues>(command: Command<A, O, G>) {
  return command
    .addOption(roleSelector())
    .addOption(olderThanSelector())
    .addOption(expiredSelector())
    .addOption(expiringWithinSelector())
    .addOption(descriptionSelector());
}

/** The help paragraph every verb with selectors shows (the verb says what it does with the selected tokens). */
export const SELECTORS_HELP =
  'Selectors combine: a token is selected when it matches all of them. --older-than goes by the creation time\n' +
  '(a token without one never matches); --expiring-within leaves out tokens already expired (see --expired).';
