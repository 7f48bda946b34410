import { listOutput } from '../options.js';
import type { PulsarTokenClaims } from '../../api/streaming.js';
import type { Context } from '../../context.js';
import { describeExpiry, describeExpiryShort, formatLocal, formatLocalDate } from '../../output/format-time.js';
import { renderList, type Column } from '../../output/render.js';
import type { OptionsOf } from '../verb.js';
import type { StreamingVerbs } from './register.js';
import { streamingTarget, StreamingSession } from './session.js';

/** The contract's `streaming token list` item. */
export interface PulsarTokenJson {
  tokenId: string;
  subject: string;
  issuedAt: string | null;
  expiresAt: string | null;
}

export function pulsarTokenJson(t: PulsarTokenClaims): PulsarTokenJson {
  return {
    tokenId: t.tokenId,
    subject: t.subject,
    issuedAt: t.issuedAt?.toISOString() ?? null,
    expiresAt: t.expiresAt?.toISOString() ?? null,
  };
}

/** Newest first; ties (and tokens without `iat`) by id so the order is stable. */
function newestFirst(a: PulsarTokenClaims, b: PulsarTokenClaims): number {
  const at = a.issuedAt?.getTime() ?? -Infinity;
  const bt = b.issuedAt?.getTime() ?? -Infinity;
  if (at !== bt) return bt > at ? 1 : -1;
  return a.tokenId < b.tokenId ? -1 : a.tokenId > b.tokenId ? 1 : 0;
}

export async function streamingTokenList(ctx: Context, options: OptionsOf<StreamingVerbs['list']>): Promise<void> {
  const target = await streamingTarget(ctx, options);
  const session = await StreamingSession.open(ctx, options, target);
  const tokens = (await session.listTokens()).sort(newestFirst);
  const now = ctx.now();
  const { color } = ctx.io;
  const expiry = (t: PulsarTokenClaims, text: string) => (t.expiresAt && t.expiresAt.getTime() <= now.getTime() ? color.red(text) : text);
  // Piped: id, subject, issued at and expiry as ISO-8601 UTC (expiry empty when the token never expires).
  const columns: Column<PulsarTokenClaims>[] = [
    { header: 'TOKEN ID', plain: (t) => t.tokenId },
    { header: 'SUBJECT', plain: (t) => t.subject, flexible: true },
    {
      header: 'ISSUED',
      plain: (t) => t.issuedAt?.toISOString() ?? '',
      tty: (t) => (t.issuedAt ? formatLocal(t.issuedAt) : '-'),
      compact: (t) => (t.issuedAt ? formatLocalDate(t.issuedAt) : '-'),
    },
    {
      header: 'EXPIRES',
      plain: (t) => t.expiresAt?.toISOString() ?? '',
      tty: (t) => expiry(t, describeExpiry(t.expiresAt?.toISOString() ?? null, now)),
      compact: (t) => expiry(t, describeExpiryShort(t.expiresAt?.toISOString() ?? null, now)),
    },
  ];
  renderList(listOutput(ctx, options), tokens, columns, tokens.map(pulsarTokenJson), `no tokens in streaming ${session.where}`);
}
