// The three bulk deletes share one engine (src/bulk): the same outcomes, run through `token delete`, `token prune` and
// `streaming token delete`, give each verb's exit code, per-item report on stdout (--json) and stderr lines.
import { delay, http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { useEmulator } from '../helpers/emulator.js';
import { DEMO_CLUSTER, DEMO_TENANT } from '../../src/emulator/state.js';
import { DAY, NOW, at, clientIdOf } from '../helpers/fixtures/token.js';

const emu = useEmulator({ state: { now: () => NOW } });
const STREAMING_URL = 'https://streaming.emulator.test';
const TARGET = ['--tenant', DEMO_TENANT, '--cluster', DEMO_CLUSTER];
const FLAGS = `--tenant ${DEMO_TENANT} --cluster ${DEMO_CLUSTER}`;
const WHERE = `tenant '${DEMO_TENANT}' on cluster ${DEMO_CLUSTER}`;
const PULSAR_PATH = `/v2/streaming/tenants/${DEMO_TENANT}/tokens`;
const REFUSED = '{"reason":"not yours"}';

type Key = 'clientId' | 'tokenId';
type Item = { deleted: boolean; reason?: string } & Partial<Record<Key, string>>;

interface Verb {
  name: string;
  key: Key;
  /** Two items to delete, in the order the report lists them. */
  make(): [string, string];
  argv(ids: readonly string[]): string[];
  /** The emulator path of one item's delete, for injected faults; how many requests a 404 must answer. */
  deletePath(id: string): string;
  notFoundTimes: number;
  /** The msw route of every delete, for a handler that holds the answer back. */
  deleteRoute: string;
  exists(id: string): boolean;
}

const tokenExists = (id: string) => emu.state.findToken(id) !== undefined;
const issueTwo = (): [string, string] =>
  [0, 1].map((i) =>
    clientIdOf(
      emu.state.issueToken(emu.state.defaultOrg.id, ['RO User'], {
        description: `bulk ${i}`,
        expiresAt: at(30 * DAY),
        generatedOn: at(-(i + 2) * DAY),
      }).token,
    ),
  ) as [string, string];
const tenant = () => emu.state.findStreamingTenant(emu.state.defaultOrg.id, DEMO_TENANT)!;

const VERBS: Verb[] = [
  {
    name: 'token delete',
    key: 'clientId',
    make: issueTwo,
    argv: (ids) => ['token', 'delete', ...ids, '--yes', '--json'],
    // A 404 on /v2/tokens/{id} alone may only mean the route is missing: gone on both routes.
    deletePath: (id) => `/v2/*/${id}`,
    notFoundTimes: 2,
    deleteRoute: '*/v2/tokens/:id',
    exists: tokenExists,
  },
  {
    name: 'token prune',
    key: 'clientId',
    // Prune reports newest first: `bulk 0` is the newer.
    make: issueTwo,
    argv: () => ['token', 'prune', '--description', 'bulk *', '--yes', '--json'],
    deletePath: (id) => `/v2/*/${id}`,
    notFoundTimes: 2,
    deleteRoute: '*/v2/tokens/:id',
    exists: tokenExists,
  },
  {
    name: 'streaming token delete',
    key: 'tokenId',
    make: () => {
      const t = tenant();
      emu.state.createStreamingToken(t, null);
      emu.state.createStreamingToken(t, null);
      return t.tokens.slice(-2).map((x) => x.tokenId) as [string, string];
    },
    argv: (ids) => ['streaming', 'token', 'delete', ...ids, ...TARGET, '--yes', '--json'],
    deletePath: (id) => `${PULSAR_PATH}/${id}`,
    notFoundTimes: 1,
    deleteRoute: `${STREAMING_URL}${PULSAR_PATH}/:id`,
    exists: (id) => tenant().tokens.some((t) => t.tokenId === id),
  },
];

interface Expected {
  code: number;
  /** The per-item report (null: stdout stays empty). */
  report: Item[] | null;
  stderr: string[];
}

interface Outcome {
  name: string;
  /** Sets up the faults; `abort` is Ctrl-C. */
  arrange(verb: Verb, ids: [string, string], abort: () => void): void;
  /** Which items are left afterwards. */
  left: [boolean, boolean];
  expect: Record<string, (a: string, b: string) => Expected>;
}

const error = (e: Record<string, unknown>) => JSON.stringify({ error: e });
/** `token delete` and `token prune` end the same way: one expectation for both. */
const tokenVerbs = (expected: (a: string, b: string) => Expected) => ({ 'token delete': expected, 'token prune': expected });
const tokenReason = (id: string) => `not yours (HTTP 403 from DELETE /v2/tokens/${id})`;
const pulsarReason = (id: string) => `not yours (HTTP 403 from DELETE ${PULSAR_PATH}/${id})`;
const deleted = (id: string) => `deleted Pulsar token ${id} from streaming ${WHERE}`;
const notDeleted = (id: string, reason: string) => `warning: token ${id} not deleted: ${reason}`;
const TOKEN_UNKNOWN = 'interrupted: outcome unknown, check with token list';
const PULSAR_UNKNOWN = 'interrupted: outcome unknown, check with streaming token list';
const refuse = (verb: Verb, id: string) =>
  emu.state.injectFault({ method: 'DELETE', path: verb.deletePath(id), status: 403, body: REFUSED });

const OUTCOMES: Outcome[] = [
  {
    name: 'all revoked',
    arrange: () => undefined,
    left: [false, false],
    expect: {
      ...tokenVerbs((a, b) => ({
        code: 0,
        report: [
          { clientId: a, deleted: true },
          { clientId: b, deleted: true },
        ],
        stderr: [],
      })),
      'streaming token delete': (a, b) => ({
        code: 0,
        report: [
          { tokenId: a, deleted: true },
          { tokenId: b, deleted: true },
        ],
        stderr: [deleted(a), deleted(b)],
      }),
    },
  },
  {
    name: 'partial',
    arrange: (verb, [, b]) => refuse(verb, b),
    left: [false, true],
    expect: {
      ...tokenVerbs((a, b) => ({
        code: 8,
        report: [
          { clientId: a, deleted: true },
          { clientId: b, deleted: false, reason: tokenReason(b) },
        ],
        stderr: [error({ code: 'PARTIAL', message: `revoked 1 of 2 tokens; failed: ${b} (${tokenReason(b)})` })],
      })),
      'streaming token delete': (a, b) => ({
        code: 8,
        report: [
          { tokenId: a, deleted: true },
          { tokenId: b, deleted: false, reason: pulsarReason(b) },
        ],
        stderr: [
          deleted(a),
          notDeleted(b, pulsarReason(b)),
          error({ code: 'PARTIAL', message: 'deleted 1 of 2 tokens; 1 not deleted (see above)' }),
        ],
      }),
    },
  },
  {
    name: 'all failed with one cause (403 -> exit 4)',
    arrange: (verb, ids) => ids.forEach((id) => refuse(verb, id)),
    left: [true, true],
    expect: {
      ...tokenVerbs((a, b) => ({
        code: 4,
        report: [
          { clientId: a, deleted: false, reason: tokenReason(a) },
          { clientId: b, deleted: false, reason: tokenReason(b) },
        ],
        stderr: [error({ code: 'FORBIDDEN', message: `could not revoke ${a} (${tokenReason(a)}), ${b} (${tokenReason(b)})`, status: 403 })],
      })),
      // With one story to tell, the error alone tells it on stderr; the report is still on stdout.
      'streaming token delete': (a, b) => ({
        code: 4,
        report: [
          { tokenId: a, deleted: false, reason: pulsarReason(a) },
          { tokenId: b, deleted: false, reason: pulsarReason(b) },
        ],
        stderr: [
          error({
            code: 'FORBIDDEN',
            message: pulsarReason(a),
            status: 403,
            hint: 'managing streaming tokens needs a role that may manage streaming (org-stream-manage, e.g. Organization Administrator)',
          }),
        ],
      }),
    },
  },
  {
    name: 'interrupted while both deletes are on the wire (exit 130)',
    arrange: (verb, _ids, abort) => {
      let sent = 0;
      emu.server.use(
        http.delete(verb.deleteRoute, async () => {
          // Ctrl-C once both are sent; neither answers within the grace a request on the wire gets.
          if (++sent === 2) abort();
          await delay(10_000);
          return new HttpResponse(null, { status: 204 });
        }),
      );
    },
    left: [true, true],
    expect: {
      ...tokenVerbs((a, b) => ({
        code: 130,
        report: [
          { clientId: a, deleted: false, reason: TOKEN_UNKNOWN },
          { clientId: b, deleted: false, reason: TOKEN_UNKNOWN },
        ],
        stderr: [
          error({
            code: 'INTERRUPTED',
            message: `interrupted: 2 tokens with no answer to the revoke (${a}, ${b}), check with 'astra-token token list'`,
          }),
        ],
      })),
      'streaming token delete': (a, b) => ({
        code: 130,
        report: [
          { tokenId: a, deleted: false, reason: PULSAR_UNKNOWN },
          { tokenId: b, deleted: false, reason: PULSAR_UNKNOWN },
        ],
        stderr: [
          notDeleted(a, PULSAR_UNKNOWN),
          notDeleted(b, PULSAR_UNKNOWN),
          error({
            code: 'INTERRUPTED',
            message: `interrupted: 2 of 2 tokens with no answer to the delete, check with 'astra-token streaming token list ${FLAGS}' (see above)`,
          }),
        ],
      }),
    },
  },
  {
    name: 'not found: one vanished between the list and its delete (404)',
    arrange: (verb, [a]) => emu.state.injectFault({ method: 'DELETE', path: verb.deletePath(a), status: 404, times: verb.notFoundTimes }),
    // The emulator still has it: the 404 was injected.
    left: [true, false],
    expect: {
      // Asked for by id: a failure (exit 8 with the other revoked).
      'token delete': (a, b) => ({
        code: 8,
        report: [
          { clientId: a, deleted: false, reason: 'not found' },
          { clientId: b, deleted: true },
        ],
        stderr: [error({ code: 'PARTIAL', message: `revoked 1 of 2 tokens; failed: ${a} (no token with client id ${a})` })],
      }),
      // Gone is what prune wants: reported, not a failure.
      'token prune': (a, b) => ({
        code: 0,
        report: [
          { clientId: a, deleted: false, reason: 'not found' },
          { clientId: b, deleted: true },
        ],
        stderr: [],
      }),
      'streaming token delete': (a, b) => ({
        code: 8,
        report: [
          { tokenId: a, deleted: false, reason: `no token '${a}' in streaming ${WHERE}` },
          { tokenId: b, deleted: true },
        ],
        stderr: [
          notDeleted(a, `no token '${a}' in streaming ${WHERE}`),
          deleted(b),
          error({ code: 'PARTIAL', message: 'deleted 1 of 2 tokens; 1 not deleted (see above)' }),
        ],
      }),
    },
  },
];

const cases = OUTCOMES.flatMap((outcome) => VERBS.map((verb) => [`${outcome.name}: ${verb.name}`, outcome, verb] as const));

describe('the bulk deletes share one engine', () => {
  it.each(cases)('%s', { timeout: 30_000 }, async (_name, outcome, verb) => {
    const ids = verb.make();
    const controller = new AbortController();
    outcome.arrange(verb, ids, () => controller.abort());
    const r = await runCli([...verb.argv(ids), '--timeout', '60'], {
      env: { ASTRA_DB_APPLICATION_TOKEN: emu.adminToken, ASTRA_API_URL: emu.baseUrl, ASTRA_STREAMING_API_URL: STREAMING_URL },
      now: NOW,
      signal: controller.signal,
    });
    const want = outcome.expect[verb.name]!(...ids);
    expect({
      code: r.code,
      report: r.stdout === '' ? null : (JSON.parse(r.stdout) as Item[]),
      stderr: r.stderr.split('\n').filter(Boolean),
    }).toEqual(want);
    expect(ids.map((id) => verb.exists(id))).toEqual(outcome.left);
  });

  // Before any item is touched, a failure leaves stdout empty.
  it.each(VERBS.filter((v) => v.name !== 'token prune'))(
    'not found: an id the org does not have deletes nothing, stdout empty: $name',
    async (verb) => {
      const [a] = verb.make();
      const r = await runCli(verb.argv([a, 'NoSuchIdAnywhereInThisOrg']), {
        env: { ASTRA_DB_APPLICATION_TOKEN: emu.adminToken, ASTRA_API_URL: emu.baseUrl, ASTRA_STREAMING_API_URL: STREAMING_URL },
        now: NOW,
      });
      expect(r.code).toBe(5);
      expect(r.stdout).toBe('');
      expect(JSON.parse(r.stderr)).toMatchObject({ error: { code: 'NOT_FOUND' } });
      expect(verb.exists(a)).toBe(true);
      expect(emu.state.requests.filter((q) => q.method === 'DELETE')).toEqual([]);
    },
  );
});
