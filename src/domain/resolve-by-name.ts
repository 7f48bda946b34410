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
  const lower = ref.toLowerCase();
  const byName = items.filter((item) => nameOf(item).toLowerCase() === lower);
  if (byName.length === 1) return byName[0]!;
  if (byName.length > 1) {
    throw new UsageError(
      `${kind} name '${printable(ref)}' is ambiguous: ${byName.map((item) => `${nameOf(item)} (${idOf(item)})`).join(', ')}; pass the ${kind} id instead`,
    );
  }
  const close = closestNames(ref, items.map(nameOf));
  throw new AppError('NOT_FOUND', `no ${kind} named '${printable(ref)}'`, {
    hint: close.length
      ? `did you mean ${close.map((n) => `'${n}'`).join(', ')}?${match.notFound.seeAlso ? ` ${match.notFound.seeAlso}` : ''}`
      : match.notFound.otherwise,
  });
}
