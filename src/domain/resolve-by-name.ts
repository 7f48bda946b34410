// What a user types to name one thing of a list (a role, a database): its id or its name (both case-insensitive,
// exact). One matcher, so every noun is found, refused as ambiguous (exit 2) or not found (exit 5) the same way.
import { AppError, UsageError } from '../errors.js';
import { printable } from '../text/terminal.js';
import { closestNames } from './suggest.js';

export interface NameMatch<T> {
  /** The noun in messages: "role", "database". */
  kind: string;
  nameOf: (item: T) => string;
  idOf: (item: T) => string;
  /** Whether `ref` may also be an id here (false when ids were looked up elsewhere). Default true. */
  byId?: boolean;
  /** Another spelling `ref` may be (a label of a built-in role): the name it stands for, matched like a name. */
  aliasOf?: (ref: string) => string | undefined;
  /** The names to propose when nothing matches; default: the closest names by edit distance. */
  suggest?: (ref: string, items: readonly T[]) => string[];
  /** The hint when nothing matches: "did you mean" the closest names, then `seeAlso`; or `otherwise` when none is close. */
  notFound: { seeAlso?: string; otherwise: string };
}

export function resolveByName<T>(items: readonly T[], ref: string, match: NameMatch<T>): T {
  const { kind, nameOf, idOf } = match;
  if (match.byId !== false) {
    // Ids are UUIDs: an upper-case paste names the same one.
    const byId = items.find((item) => idOf(item) === ref) ?? items.find((item) => idOf(item).toLowerCase() === ref.toLowerCase());
    if (byId) return byId;
  }
  const named = (name: string) => items.filter((item) => nameOf(item).toLowerCase() === name.toLowerCase());
  let byName = named(ref);
  const alias = byName.length === 0 ? match.aliasOf?.(ref) : undefined;
  if (alias !== undefined) byName = named(alias);
  if (byName.length === 1) return byName[0]!;
  if (byName.length > 1) {
    throw new UsageError(
      `${kind} name '${printable(ref)}' is ambiguous: ${byName.map((item) => `${nameOf(item)} (${idOf(item)})`).join(', ')}; pass the ${kind} id instead`,
    );
  }
  const close = match.suggest ? match.suggest(ref, items) : closestNames(ref, items.map(nameOf));
  throw new AppError('NOT_FOUND', `no ${kind} named '${printable(ref)}'`, {
    hint: close.length
      ? `did you mean ${close.map((n) => `'${n}'`).join(', ')}?${match.notFound.seeAlso ? ` ${match.notFound.seeAlso}` : ''}`
      : match.notFound.otherwise,
  });
}
