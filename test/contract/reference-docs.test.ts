// docs/contract.md stays true: its exit-code table is the classifier's table (src/errors.ts), and the JSON keys it
// lists for each command are exactly the keys that command prints with --json against the emulator.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT_CODES, type ErrorCode } from '../../src/errors.js';
import { BIN, childEnv, HAS_BUILD, ROOT } from '../helpers/bin.js';
import { addProfile, cliWithDir } from '../helpers/fixtures/org.js';
import { TARGET, useStreamingEmulator } from '../helpers/fixtures/streaming.js';
import { JSON_FIELDS } from '../../src/output/json-fields.js';

const doc = readFileSync(join(ROOT, 'docs/contract.md'), 'utf8');

/** The rows of the Markdown table under a `## heading`, as cells (backticks kept). */
function tableRows(heading: string): string[][] {
  const section = doc.split(/^## /m).find((s) => s.startsWith(`${heading}\n`));
  if (!section) throw new Error(`docs/contract.md has no section "${heading}"`);
  return section
    .split('\n')
    .filter((l) => l.startsWith('|') && !/^\|[-| ]+\|$/.test(l))
    .slice(1)
    .map((l) =>
      l
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((c) => c.trim()),
    );
}

const spans = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);

describe('docs/contract.md: exit codes', () => {
  it("lists every error.code with the classifier's exit code, and no other", () => {
    const documented: Record<string, number> = {};
    for (const [exit, codes] of tableRows('Exit codes')) for (const code of spans(codes!)) documented[code] = Number(exit);
    expect(documented).toEqual(EXIT_CODES satisfies Record<ErrorCode, number>);
  });
});

/** Every key path of a JSON document: `a`, `a.b`, `a[].b`; a top-level list gives its items' paths. */
function keyPaths(value: unknown, prefix = ''): Set<string> {
  const out = new Set<string>();
  const walk = (v: unknown, at: string) => {
    if (Array.isArray(v)) {
      for (const item of v) if (item !== null && typeof item === 'object' && !Array.isArray(item)) walk(item, at === '' ? '' : `${at}[]`);
      return;
    }
    if (v === null || typeof v !== 'object') return;
    for (const [k, child] of Object.entries(v)) {
      const path = at === '' ? k : `${at}.${k}`;
      out.add(path);
      walk(child, path);
    }
  };
  walk(value, prefix);
  return out;
}

/** Whether the actual keys match the documented ones: each actual key documented (or under a documented key, or on the way to one), each key not marked `?` present. */
function mismatch(documented: string[], actual: Set<string>): { undocumented: string[]; missing: string[] } {
  const names = documented.map((d) => d.replace(/\?$/, ''));
  const parent = (p: string) => p.replace(/(\[\])?\.[^.]+$|\[\]$/, '');
  const covered = (p: string) => {
    for (let q = p; ; q = parent(q)) {
      if (names.includes(q)) return true;
      if (parent(q) === q) break;
    }
    return names.some((n) => n.startsWith(`${p}.`) || n.startsWith(`${p}[].`));
  };
  return {
    undocumented: [...actual].filter((p) => !covered(p)),
    missing: documented.filter((d) => !d.endsWith('?') && !actual.has(d)),
  };
}

describe('docs/contract.md: JSON documents', () => {
  const { emu, run } = useStreamingEmulator();
  const rows = new Map(tableRows('JSON documents').map(([command, , keys]) => [spans(command!)[0]!, spans(keys!)]));

  async function json(argv: string[], runner = run): Promise<unknown> {
    const r = await runner([...argv, '--json']);
    expect({ argv, code: r.code, stderr: r.stderr }).toMatchObject({ code: 0 });
    return JSON.parse(r.stdout) as unknown;
  }

  function expectDocumented(command: string, output: unknown): void {
    const documented = rows.get(command);
    expect(documented, `docs/contract.md lists no keys for ${command}`).toBeDefined();
    expect({ command, ...mismatch(documented!, keyPaths(output)) }).toEqual({ command, undocumented: [], missing: [] });
  }

  it('the matcher tells a missing and an undocumented key apart', () => {
    expect(mismatch(['a', 'b[].c', 'd?'], keyPaths({ a: 1, b: [{ c: 1, e: 2 }] }))).toEqual({ undocumented: ['b[].e'], missing: [] });
    expect(mismatch(['a', 'x'], keyPaths([{ a: 1 }]))).toEqual({ undocumented: [], missing: ['x'] });
  });

  it('token verbs', async () => {
    const created = (await json(['token', 'create', '--role', 'R/W User', '--description', 'docs keys'])) as { clientId: string };
    expectDocumented('token create', created);
    expectDocumented('token list', await json(['token', 'list']));
    expectDocumented('token audit', await json(['token', 'audit']));
    const rotated = (await json(['token', 'rotate', created.clientId, '--yes'])) as { clientId: string };
    expectDocumented('token rotate', rotated);
    expectDocumented('token delete', await json(['token', 'delete', rotated.clientId, '--yes']));
    await json(['token', 'create', '--role', 'R/W User', '--description', 'prune me']);
    expectDocumented('token prune', await json(['token', 'prune', '--description', 'prune me', '--yes']));
  });

  it('role and db verbs', async () => {
    expectDocumented('role list', await json(['role', 'list']));
    expectDocumented('role get', await json(['role', 'get', 'R/W User']));
    expectDocumented('db list', await json(['db', 'list']));
  });

  it('org verbs', async () => {
    const cli = cliWithDir();
    await addProfile(cli, emu, 'docs', emu.adminToken);
    expectDocumented('org list', await json(['org', 'list'], (argv) => cli.run(argv)));
    expectDocumented('org current', await json(['org', 'current'], (argv) => cli.run(argv)));
  });

  it('streaming token verbs', async () => {
    expectDocumented('streaming token list', await json(['streaming', 'token', 'list', ...TARGET]));
    const created = (await json(['streaming', 'token', 'create', ...TARGET])) as { tokenId: string };
    expectDocumented('streaming token create', created);
    expectDocumented('streaming token delete', await json(['streaming', 'token', 'delete', created.tokenId, ...TARGET, '--yes']));
  });

  it('role create, update and delete; token inspect; streaming token get', async () => {
    expectDocumented(
      'role create',
      await json(['role', 'create', 'Docs Keys', '--action', 'db-table-select', '--resource', `drn:astra:org:${emu.state.defaultOrg.id}`]),
    );
    expectDocumented('role update', await json(['role', 'update', 'Docs Keys', '--description', 'updated']));
    expectDocumented('role delete', await json(['role', 'delete', 'Docs Keys', '--yes']));
    expectDocumented('token inspect', await json(['token', 'inspect']));
    expectDocumented('token inspect', await json(['token', 'inspect', '--check']));
    const created = (await json(['streaming', 'token', 'create', ...TARGET])) as { tokenId: string };
    expectDocumented('streaming token get', await json(['streaming', 'token', 'get', created.tokenId, ...TARGET]));
  });

  it('org add, switch, storage and remove', async () => {
    const cli = cliWithDir();
    const run = (argv: string[]) => cli.run(argv, { stdin: emu.adminToken });
    expectDocumented('org add', await json(['org', 'add', 'docs', '--with-token', '--api-url', emu.baseUrl], run));
    expectDocumented('org switch', await json(['org', 'switch', 'docs'], run));
    expectDocumented('org storage', await json(['org', 'storage', 'docs', '--to', 'file'], run));
    expectDocumented('org remove', await json(['org', 'remove', 'docs', '--yes'], run));
  });

  it("each verb's declared JSON fields (--fields, --help) are the top-level keys the table lists", () => {
    for (const [verb, fields] of Object.entries(JSON_FIELDS)) {
      const keys = rows.get(verb) ?? [];
      const top = [...new Set(keys.map((k) => k.replace(/\?$/, '').split(/[.[]/)[0]!))];
      expect({ verb, top }).toEqual({ verb, top: [...fields] });
    }
    expect([...rows.keys()].filter((verb) => !(verb in JSON_FIELDS))).toEqual([]);
  });

  it.skipIf(!HAS_BUILD)('emulator (the built bin, its first line)', async () => {
    const child = spawn(process.execPath, [BIN, 'emulator', '--port', '0', '--json'], {
      env: childEnv(),
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const exited = new Promise((resolve) => child.on('close', resolve));
    try {
      const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
      expectDocumented('emulator', JSON.parse(line));
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  });

  it('every command the table lists is checked above', () => {
    expect([...rows.keys()].sort()).toEqual(
      [
        'token list',
        'token create',
        'token rotate',
        'token delete',
        'token prune',
        'token audit',
        'role list',
        'role get',
        'role create',
        'role update',
        'role delete',
        'token inspect',
        'db list',
        'org list',
        'org add',
        'org switch',
        'org storage',
        'org remove',
        'org current',
        'streaming token get',
        'streaming token list',
        'streaming token create',
        'streaming token delete',
        'emulator',
      ].sort(),
    );
  });
});
