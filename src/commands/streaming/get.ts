import type { Context } from '../../context.js';
import { renderResult } from '../../output/result.js';
import { streamingTarget, checkTokenIds, StreamingSession, type StreamingOptions } from './session.js';

export async function streamingTokenGet(ctx: Context, tokenId: string, options: StreamingOptions): Promise<void> {
  const target = await streamingTarget(ctx, options);
  const [id] = checkTokenIds([tokenId]) as [string];
  const session = await StreamingSession.open(ctx, options, target);
  // The service answers an unknown tenant and an unknown token alike (404, empty body): the list tells them apart.
  await session.requireTokens([id]);
  const jwt = await session.client.getToken(target.tenant, id).catch((err: unknown) => {
    throw session.explain(err, id);
  });
  renderResult(ctx, { json: { tokenId: id, token: jwt }, line: jwt });
}
