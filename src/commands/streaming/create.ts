import type { CreatedPulsarToken } from '../../api/streaming.js';
import type { Context } from '../../context.js';
import { AppError, printable } from '../../errors.js';
import { checkNewFile, PrivateFile } from '../../output/private-file.js';
import { writeJson } from '../../output/render.js';
import { describeExpiry } from '../../output/format-time.js';
import { streamingExpiry } from './expiry.js';
import { checkTarget, StreamingSession, type StreamingOptions } from './session.js';

export interface StreamingTokenCreateOptions extends StreamingOptions {
  expires?: string;
  outputFile?: string;
}

/** The contract's `streaming token create` object. */
export interface NewPulsarTokenJson {
  tokenId: string;
  token: string;
  role: string;
}

export async function streamingTokenCreate(ctx: Context, options: StreamingTokenCreateOptions): Promise<void> {
  // Everything that can be checked locally is checked before the first request.
  const target = checkTarget(options);
  const expiry = streamingExpiry(options.expires);
  if (options.outputFile !== undefined) await checkNewFile(options.outputFile, '--output-file');

  const session = await StreamingSession.open(ctx, options, target);
  // The file is created right before the token, so the JWT always has a place to land; removed if the call fails.
  const file = options.outputFile !== undefined ? await PrivateFile.create(options.outputFile, '--output-file') : undefined;
  let created: CreatedPulsarToken;
  try {
    created = await session.client.createToken(target.tenant, expiry.exp === undefined ? {} : { exp: expiry.exp });
  } catch (err) {
    await file?.discard();
    throw session.explain(err);
  }

  const json: NewPulsarTokenJson = { tokenId: created.tokenId, token: created.token, role: created.role };
  const now = ctx.now();
  const lifetime =
    expiry.ms === null ? 'never expires' : `expires ${describeExpiry(new Date(now.getTime() + expiry.ms).toISOString(), now)}`;
  const summary =
    `created Pulsar token ${created.tokenId} in streaming ${session.where} (role ${created.role || '-'}, ${lifetime}); ` +
    'it is for Pulsar clients of this tenant, not an Astra token';
  const { io } = ctx;
  const asJson = ctx.output === 'json';

  if (!file) {
    if (asJson) writeJson(io, json);
    else io.out.write(created.token + '\n');
    io.info(summary);
    io.warn(
      `store this token now: it is shown only once here (while it exists, 'astra-token streaming token get ${created.tokenId} ${session.flags}' can fetch it again)`,
    );
    return;
  }
  try {
    await file.write(asJson ? JSON.stringify(json, null, 2) + '\n' : created.token + '\n');
  } catch (err) {
    throw new AppError('INTERNAL', `token ${created.tokenId} was created, but writing it to ${printable(file.path, 200)} failed: ${(err as Error).message}`, {
      hint: `fetch it with 'astra-token streaming token get ${created.tokenId} ${session.flags}', or delete it`,
      cause: err,
    });
  }
  // stdout gets no secret: the token id alone, or the object without `token` plus where it went.
  if (asJson) writeJson(io, { tokenId: json.tokenId, role: json.role, outputFile: file.path });
  else io.out.write(created.tokenId + '\n');
  io.info(`${summary}; written to ${file.path} (mode 0600)`);
}
