/** What tests script and observe about the emulator's HTTP traffic: queued faults and the request log. */

export interface Fault {
  /** HTTP method to match (case-insensitive); any when absent. */
  method?: string;
  /** Path to match: a string where `*` stands for one path segment and `**` for anything, or a RegExp; any when absent. */
  path?: string | RegExp;
  /** Status to answer with; 0 answers with a network error (connection dropped). */
  status: number;
  /** How many matching requests this fault answers (default 1). */
  times?: number;
  /** Seconds for a `Retry-After` header. */
  retryAfter?: number;
  /** Body text; default `{"errors":[{"ID":<status>,"message":"injected fault"}]}`. */
  body?: string;
  contentType?: string;
  /** Extra delay before this fault's response, on top of any latency. */
  delayMs?: number;
  /**
   * The request takes effect first (a token is created, a role deleted), then this fault answers in place of the real
   * answer: the answer is lost on the way back, as with a gateway timeout or a connection reset after the work.
   */
  afterEffect?: boolean;
}

export interface RequestLogEntry {
  method: string;
  path: string;
  status: number;
}

/** Takes the first queued fault matching the request from `faults`, counting one use of it. */
export function takeFault(faults: Fault[], method: string, path: string): Fault | undefined {
  const index = faults.findIndex((f) => faultMatches(f, method, path));
  const fault = faults[index];
  if (!fault) return undefined;
  const left = (fault.times ?? 1) - 1;
  if (left <= 0) faults.splice(index, 1);
  else fault.times = left;
  return fault;
}

function faultMatches(fault: Fault, method: string, path: string): boolean {
  if (fault.method && fault.method.toUpperCase() !== method.toUpperCase()) return false;
  if (fault.path === undefined) return true;
  if (fault.path instanceof RegExp) return fault.path.test(path);
  const pattern = fault.path
    .split(/(\*\*|\*)/)
    .map((part) => (part === '**' ? '.*' : part === '*' ? '[^/]+' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${pattern}$`).test(path);
}
