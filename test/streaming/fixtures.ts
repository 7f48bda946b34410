// Shared set-up for the streaming command tests: a fixed clock for the emulator and the CLI, the CLI environment for
// the in-process emulator, and helpers to read what was sent.
import { http, type HttpHandler } from 'msw';
import { runCli, type RunOptions } from '../helpers/cli.js';
import type { EmulatorFixture } from '../helpers/emulator.js';
import { DEMO_CLUSTER, DEMO_TENANT, type StreamingTenant } from '../../src/emulator/state.js';

export const NOW = new Date('2030-01-01T00:00:00.000Z');
export const STREAMING_URL = 'https://streaming.emulator.test';
export const TARGET = ['--tenant', DEMO_TENANT, '--cluster', DEMO_CLUSTER];
export const FLAGS = `--tenant ${DEMO_TENANT} --cluster ${DEMO_CLUSTER}`;
export const WHERE = `tenant '${DEMO_TENANT}' on cluster ${DEMO_CLUSTER}`;
export const LIST_PATH = `/v2/streaming/tenants/${DEMO_TENANT}/tokens`;
export const CREATE_PATH = `/v3/streaming/tenants/${DEMO_TENANT}/tokens`;

/** A mutable clock shared by the emulator state and the CLI. */
export const clock = { now: NOW };
export const stateOptions = { now: () => clock.now };

export function cli(emu: EmulatorFixture, token?: string) {
  return (argv: string[], opts: RunOptions = {}) =>
    runCli(argv, {
      now: clock.now,
      ...opts,
      env: {
        ASTRA_DB_APPLICATION_TOKEN: token ?? emu.adminToken,
        ASTRA_API_URL: emu.baseUrl,
        ASTRA_STREAMING_API_URL: STREAMING_URL,
        ...opts.env,
      },
    });
}

export const demoTenant = (emu: EmulatorFixture): StreamingTenant =>
  emu.state.findStreamingTenant(emu.state.defaultOrg.id, DEMO_TENANT)!;

/** `METHOD path` of every request the emulator answered, in order. */
export const sent = (emu: EmulatorFixture) => emu.state.requests.map((r) => `${r.method} ${r.path}`);

/** The claims of a JWT (payload only). */
export function claimsOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}

export interface Seen {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * A handler that records every streaming request (URL, headers, body) and then lets the emulator answer it (a resolver
 * that returns nothing falls through to the next handler).
 */
export function recordStreaming(seen: Seen[]): HttpHandler {
  return http.all(/\/v[23]\/streaming\//, async ({ request }) => {
    seen.push({
      url: request.url,
      headers: Object.fromEntries(request.headers.entries()),
      body: await request.clone().text(),
    });
  });
}

/** What a terminal shows: readline's cursor escapes removed. */
// eslint-disable-next-line no-control-regex -- ANSI escape sequences start with the control character ESC
export const screen = (text: string) => text.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '').replace(/\r/g, '');
