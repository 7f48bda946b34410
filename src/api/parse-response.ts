// A response body as JSON, validated by a schema; anything else is a ResponseShapeError naming the call.
import type * as z from 'zod/mini';
import { ResponseShapeError } from './errors.js';
import { BAD_ANSWER_HINT, errorDetail, type HttpResult } from './transport.js';

/** `plain`: the schema's result computed without it for the common case, or undefined to let the schema read the data. */
export function parseResponse<S extends z.ZodMiniType>(
  schema: S,
  res: HttpResult,
  where: string,
  plain?: (data: unknown) => z.output<S> | undefined,
): z.output<S> {
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
  const quick = plain?.(data);
  if (quick !== undefined) return quick;
  const result = schema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    const at = issue && issue.path.length ? issue.path.join('.') : 'body';
    throw new ResponseShapeError(`${where} answered in an unexpected shape (${at}: ${issue ? describeIssue(issue, data) : 'invalid'})`, {
      hint: BAD_ANSWER_HINT,
    });
  }
  return result.data;
}

function looksLikeHtml(res: HttpResult): boolean {
  return /^\s*<(!doctype|html|head|body)/i.test(res.text) || (res.headers.get('content-type') ?? '').includes('html');
}

/** zod/mini carries no message catalogue: the common case (a wrong type) is worded here, from the data itself. */
function describeIssue(issue: z.core.$ZodIssue, data: unknown): string {
  if (issue.code !== 'invalid_type') return issue.message;
  let found: unknown = data;
  // The path names folded keys (`clientid`); the data has them as sent (`clientId`, `ClientID`).
  for (const key of issue.path) {
    if (found === null || typeof found !== 'object') break;
    const entries = Object.entries(found as Record<string, unknown>);
    found = entries.find(([k]) => k === String(key) || k.toLowerCase().replace(/_/g, '') === String(key))?.[1];
  }
  const received = found === null ? 'null' : Array.isArray(found) ? 'array' : typeof found;
  return `Invalid input: expected ${issue.expected}, received ${received}`;
}
