// A response body as JSON, validated by a schema; anything else is a ResponseShapeError naming the call.
import type { z } from 'zod';
import { ResponseShapeError } from '../errors.js';
import type { HttpResult } from './transport.js';

export function parseResponse<S extends z.ZodType>(schema: S, res: HttpResult, where: string): z.output<S> {
  let data: unknown;
  try {
    data = JSON.parse(res.text);
  } catch {
    const what = res.text.trim() === '' ? 'an empty body' : 'a body that is not JSON';
    throw new ResponseShapeError(`${where} answered HTTP ${res.status} with ${what}`);
  }
  const result = schema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    const at = issue && issue.path.length ? issue.path.join('.') : 'body';
    throw new ResponseShapeError(
      `${where} answered in an unexpected shape (${at}: ${issue?.message ?? 'invalid'})`,
    );
  }
  return result.data;
}
