// A response body as JSON, validated by a schema; anything else is a ResponseShapeError naming the call.
import type { z } from 'zod';
import { ResponseShapeError } from '../errors.js';
import { BAD_ANSWER_HINT, errorDetail, type HttpResult } from './transport.js';

export function parseResponse<S extends z.ZodType>(schema: S, res: HttpResult, where: string): z.output<S> {
  let data: unknown;
  try {
    data = JSON.parse(res.text);
  } catch {
    const what =
      res.text.trim() === ''
        ? 'an empty body'
        : looksLikeHtml(res)
          ? errorDetail(res.text, res.headers.get('content-type'))
          : 'a body that is not JSON';
    throw new ResponseShapeError(`${where} answered HTTP ${res.status} with ${what}`, { hint: BAD_ANSWER_HINT });
  }
  const result = schema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    const at = issue && issue.path.length ? issue.path.join('.') : 'body';
    throw new ResponseShapeError(
      `${where} answered in an unexpected shape (${at}: ${issue?.message ?? 'invalid'})`,
      { hint: BAD_ANSWER_HINT },
    );
  }
  return result.data;
}

function looksLikeHtml(res: HttpResult): boolean {
  return /^\s*<(!doctype|html|head|body)/i.test(res.text) || (res.headers.get('content-type') ?? '').includes('html');
}
