import type { Context } from '../../context.js';
import { renderResult, resultText } from '../../output/result.js';
import { SecretDelivery, StdoutLost } from '../../output/secret-delivery.js';
import { selectionOf } from '../../output/json-filter.js';
import { PartialError } from '../../errors.js';
import { reasonOf } from '../token/revocation.js';
import { describeExpiry } from '../../output/format-time.js';
import { streamingExpiry } from './expiry.js';
import { streamingTarget, StreamingSession } from './session.js';
import type { OptionsOf } from '../verb.js';
import type { StreamingVerbs } from './register.js';

export type StreamingTokenCreateOptions = OptionsOf<StreamingVerbs['create']>;

/** The contract's `streaming token create` object. */
export interface NewPulsarTokenJson {
  tokenId: string;
  token: string;
  role: string;
}

export async function streamingTokenCreate(ctx: Context, options: StreamingTokenCreateOptions): Promise<void> {
  // Everything that can be checked locally is checked before the first request.
  const target = await streamingTarget(ctx, options);
  const expiry = streamingExpiry(options.expires);
  const secret = await SecretDelivery.prepare(ctx.io, options.outputFile, false, selectionOf(ctx.globals));
  secret.refuseFieldsWithout('token');

  const session = await StreamingSession.open(ctx, options, target);
  const created = await secret.create(
    () => session.client.createToken(target.tenant, expiry.exp === undefined ? {} : { exp: expiry.exp }),
    (err) => session.explain(err),
  );

  const json: NewPulsarTokenJson = { tokenId: created.tokenId, token: created.token, role: created.role };
  const now = ctx.now();
  const lifetime =
    expiry.ms === null ? 'never expires' : `expires ${describeExpiry(new Date(now.getTime() + expiry.ms).toISOString(), now)}`;
  const summary =
    `created Pulsar token ${created.tokenId} in streaming ${session.where} (role ${created.role || '-'}, ${lifetime}); ` +
    'it is for Pulsar clients of this tenant, not an Astra token';
  const delivered = { json, line: created.token };

  const path = await secret
    .deliver({
      id: created.tokenId,
      summary,
      print: () => renderResult(ctx, delivered),
      fileContent: resultText(ctx, delivered)!,
      onceWarning: `store this token now: it is shown only once here (while it exists, 'astra-token streaming token get ${created.tokenId} ${session.flags}' can fetch it again)`,
      writeFailedHint: `fetch it with 'astra-token streaming token get ${created.tokenId} ${session.flags}', or delete it`,
      filtered: { document: json, value: created.token },
    })
    .catch(async (err: unknown) => {
      if (!(err instanceof StdoutLost)) throw err;
      throw await reachedNoOne(session, target.tenant, created.tokenId, err);
    });
  if (path === undefined) return;
  // stdout gets no secret: the token id alone, or the object without `token` plus where it went.
  renderResult(ctx, { json: { tokenId: json.tokenId, role: json.role, outputFile: path }, line: created.tokenId });
}

/**
 * Exit 8 for a Pulsar token that reached no one (its stdout went away, or an output filter left it out): it is
 * deleted first, so no live token is left that nobody has; when that fails too, the hint is the exact delete line.
 */
async function reachedNoOne(session: StreamingSession, tenant: string, tokenId: string, lost: StdoutLost): Promise<PartialError> {
  const what = `Pulsar token ${tokenId} was created, but ${lost.message}, so it reached no one`;
  try {
    await session.client.deleteToken(tenant, tokenId);
  } catch (err) {
    return new PartialError(`${what}; deleting it failed too: ${reasonOf(err)}`, {
      hint: `delete it with: astra-token streaming token delete ${tokenId} ${session.flags} --yes`,
      cause: lost,
    });
  }
  return new PartialError(`${what}; it was deleted`, { hint: 'then run the same command again', cause: lost });
}
