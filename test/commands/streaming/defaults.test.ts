// --tenant and --cluster may come from the environment (ASTRA_STREAMING_TENANT/CLUSTER) or from the profile
// (`org add --streaming-tenant --streaming-cluster`); the flags win. Help says so without reading the config.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_CLUSTER } from '../../../src/emulator/state.js';
import { runCli, tempConfigDir } from '../../helpers/cli.js';
import { useEmulator } from '../../helpers/emulator.js';
import { STREAMING_URL, cli, demoTenant, stateOptions } from '../../helpers/fixtures/streaming.js';
import { parseJson } from '../../helpers/typed.js';

const emu = useEmulator({ state: stateOptions });
const run = cli(emu);

describe('streaming defaults', () => {
  it('takes the tenant and cluster from ASTRA_STREAMING_TENANT / ASTRA_STREAMING_CLUSTER', async () => {
    const r = await run(['streaming', 'token', 'list', '--json'], {
      env: { ASTRA_STREAMING_TENANT: 'demo-tenant', ASTRA_STREAMING_CLUSTER: DEMO_CLUSTER },
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as unknown[]).length).toBe(demoTenant(emu).tokens.length);
  });

  it('takes them from the profile saved with org add --streaming-tenant --streaming-cluster', async () => {
    const dir = tempConfigDir();
    const env = { ASTRA_TOKEN_CONFIG_DIR: dir };
    const add = await runCli(
      [
        'org',
        'add',
        'p',
        '--with-token',
        '--api-url',
        emu.baseUrl,
        '--streaming-api-url',
        STREAMING_URL,
        '--streaming-tenant',
        'demo-tenant',
        '--streaming-cluster',
        DEMO_CLUSTER,
      ],
      { env, stdin: emu.adminToken },
    );
    expect(add.code).toBe(0);
    const r = await runCli(['streaming', 'token', 'list', '--json'], { env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // The flag still wins over the profile.
    const other = await runCli(['streaming', 'token', 'list', '--tenant', 'nope'], { env });
    expect(other.code).toBe(5);
    expect(other.stderr).toMatch(/no streaming tenant 'nope'/);
  });

  it.each([
    [
      '--streaming-tenant',
      'demo\ttenant',
      "error: --streaming-tenant: 'demo\\ttenant' is not a streaming tenant name (letters, digits, '-', '_', '.')\n",
    ],
    ['--streaming-tenant', 'a/b', "error: --streaming-tenant: 'a/b' is not a streaming tenant name (letters, digits, '-', '_', '.')\n"],
    [
      '--streaming-cluster',
      'pulsar gcp',
      "error: --streaming-cluster: 'pulsar gcp' is not a Pulsar cluster name such as pulsar-gcp-useast4\n",
    ],
    [
      '--streaming-cluster',
      'https://pulsar.example',
      "error: --streaming-cluster takes the tenant's Pulsar cluster name (e.g. pulsar-gcp-useast4), not a URL; the streaming API host is set with --streaming-api-url\n",
    ],
  ])('org add %s %j: exit 2 before anything is saved', async (flag, value, stderr) => {
    const dir = tempConfigDir();
    const r = await runCli(['org', 'add', 'p', '--with-token', '--api-url', emu.baseUrl, flag, value], {
      env: { ASTRA_TOKEN_CONFIG_DIR: dir },
      stdin: emu.adminToken,
    });
    expect(r).toEqual({ code: 2, stdout: '', stderr });
    expect(existsSync(join(dir, 'config.json'))).toBe(false);
    expect(emu.state.requests).toEqual([]);
  });

  it('org add saves the names trimmed', async () => {
    const dir = tempConfigDir();
    const r = await runCli(
      ['org', 'add', 'p', '--with-token', '--no-validate', '--streaming-tenant', ' demo-tenant ', '--streaming-cluster', DEMO_CLUSTER],
      { env: { ASTRA_TOKEN_CONFIG_DIR: dir }, stdin: emu.adminToken },
    );
    expect(r.code).toBe(0);
    expect(parseJson<{ profiles: unknown[] }>(readFileSync(join(dir, 'config.json'), 'utf8')).profiles[0]).toMatchObject({
      streamingTenant: 'demo-tenant',
      streamingCluster: DEMO_CLUSTER,
    });
  });

  it('help says where else they may come from, and reads no config to say it', async () => {
    const r = await runCli(['streaming', 'token', 'list', '--help'], { env: { ASTRA_TOKEN_CONFIG_DIR: '/nonexistent/astra-token' } });
    expect(r.code).toBe(0);
    expect(r.stdout.replace(/\s+/g, ' ')).toContain('required unless set in the profile or the environment');
  });
});
