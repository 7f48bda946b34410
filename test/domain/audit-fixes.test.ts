// Each audit fix is checked against only what its command changes (src/domain/audit/fixes.ts). Here, over many
// random orgs, every fix offered is applied to the org by a small interpreter of the command and the WHOLE org is
// audited again: the finding must be gone and no finding may be new (test/flows/audit-fix.test.ts does the same
// against the emulator, through the built commands).
import { describe, expect, it } from 'vitest';
import { withFixes, type AuditedOrg } from '../../src/domain/audit/fixes.js';
import { findRisks, findingKey, type AuditedRole, type AuditedToken, type Finding } from '../../src/domain/audit/rules.js';
import { parseDurationMs } from '../../src/domain/time.js';

const NOW = new Date('2026-06-01T00:00:00Z');
const DAY = 86_400_000;
const settings = { now: NOW, maxAgeMs: 90 * DAY, expiringWithinMs: 7 * DAY };

/** A small seeded generator (mulberry32): the same orgs on every run. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ORG = 'drn:astra:org:__ORG_ID__';
const BUILT_IN: AuditedRole[] = [
  {
    id: 'admin-id',
    name: 'Organization Administrator',
    effect: 'allow',
    actions: ['org-token-write', 'org-write', 'db-cql'],
    resources: [ORG],
    builtIn: true,
  },
  { id: 'rw-id', name: 'R/W User', effect: 'allow', actions: ['db-cql', 'db-table-read'], resources: [ORG, `${ORG}:db:*`], builtIn: true },
  { id: 'ro-id', name: 'R/O User', effect: 'allow', actions: ['db-table-read'], resources: [ORG, `${ORG}:db:*`], builtIn: true },
];

function randomOrg(seed: number): AuditedOrg {
  const rnd = random(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const custom: AuditedRole[] = Array.from({ length: 1 + Math.floor(rnd() * 4) }, (_, i) => ({
    id: `custom-${seed}-${i}`,
    name: pick(['Ops', 'Reader', 'Ops', 'Deployer']),
    effect: 'allow',
    actions: pick([['org-token-write', 'db-cql'], ['db-cql'], ['org-role-write'], ['db-table-read', 'db-cql']]),
    resources: pick([
      [ORG],
      [`${ORG}:db:*`],
      [`${ORG}:db:6f1c2a9e-0c1d-4e5f-8a9b-0123456789ab`],
      [ORG, `${ORG}:db:6f1c2a9e-0c1d-4e5f-8a9b-0123456789ab`],
    ]),
    builtIn: false,
  }));
  // Without R/W User, an admin token cannot be narrowed to it: its custom role loses its admin actions instead.
  const roles = [...(rnd() < 0.3 ? BUILT_IN.filter((r) => r.name !== 'R/W User') : BUILT_IN), ...custom];
  const tokens: AuditedToken[] = Array.from({ length: 1 + Math.floor(rnd() * 8) }, (_, i) => {
    const created = NOW.getTime() - Math.floor(rnd() * 200) * DAY;
    const lifetime = pick([null, 30 * DAY, 120 * DAY, 2 * DAY, 600_000, -1]);
    const held = rnd() < 0.2 ? [{ id: 'gone-role', name: null }] : [];
    const count = 1 + Math.floor(rnd() * 2);
    return {
      clientId: `client-${seed}-${i}`,
      roles: [...held, ...Array.from({ length: count }, () => pick(roles)).map((r) => ({ id: r.id, name: r.name }))],
      description: rnd() < 0.3 ? '' : `token ${i}`,
      generatedOn: new Date(created).toISOString(),
      expiresAt:
        lifetime === null
          ? null
          : lifetime === -1
            ? new Date(NOW.getTime() - DAY).toISOString()
            : new Date(created + lifetime).toISOString(),
    };
  });
  return { tokens, roles, settings };
}

/** The org after `argv` runs, as the server would leave it (a rotation's new token under a fixed id). */
function apply(org: AuditedOrg, argv: readonly string[]): AuditedOrg {
  const [noun, verb, id, ...rest] = argv;
  const flags = (name: string) => rest.flatMap((v, i) => (rest[i - 1] === name ? [v] : []));
  const byRef = (ref: string) => org.roles.find((r) => r.id === ref) ?? org.roles.find((r) => r.name === ref)!;
  if (noun === 'token' && verb === 'delete') return { ...org, tokens: org.tokens.filter((t) => t.clientId !== id) };
  if (noun === 'role' && verb === 'delete') return { ...org, roles: org.roles.filter((r) => r.id !== id) };
  if (noun === 'role' && verb === 'update') {
    const removed = flags('--remove-action');
    return { ...org, roles: org.roles.map((r) => (r.id === id ? { ...r, actions: r.actions.filter((a) => !removed.includes(a)) } : r)) };
  }
  expect([noun, verb]).toEqual(['token', 'rotate']);
  const old = org.tokens.find((t) => t.clientId === id)!;
  const named = flags('--role').map(byRef);
  const live = old.roles.flatMap((ref) => org.roles.filter((r) => r.id === ref.id));
  const roles = named.length > 0 ? named : live;
  const expires = flags('--expires')[0];
  let expiresAt: string | null = null;
  if (expires !== undefined) expiresAt = new Date(NOW.getTime() + parseDurationMs(expires)!).toISOString();
  else if (old.expiresAt !== null)
    expiresAt = new Date(NOW.getTime() + Date.parse(old.expiresAt) - Date.parse(old.generatedOn!)).toISOString();
  const fresh: AuditedToken = {
    clientId: `rotated-${id}`,
    roles: roles.map((r) => ({ id: r.id, name: r.name })),
    description: old.description,
    generatedOn: NOW.toISOString(),
    expiresAt,
  };
  return { ...org, tokens: [...org.tokens.filter((t) => t.clientId !== id), fresh] };
}

/** Whether `argv` clears `finding` and adds none, by auditing the whole org again. */
function clearsWhole(org: AuditedOrg, finding: Finding, argv: readonly string[]): boolean {
  const rotated = argv[0] === 'token' && argv[1] === 'rotate' ? argv[2] : undefined;
  const carried = (f: Finding) => (rotated !== undefined && f.clientId === rotated ? { ...f, clientId: `rotated-${rotated}` } : f);
  const before = new Set(findRisks(org.tokens, org.roles, settings).map((f) => findingKey(carried(f))));
  const after = apply(org, argv);
  const afterKeys = findRisks(after.tokens, after.roles, settings).map(findingKey);
  return !afterKeys.includes(findingKey(carried(finding))) && afterKeys.every((k) => before.has(k));
}

describe('audit fixes', () => {
  it('every fix offered, applied to the whole org, clears its finding and adds none (300 random orgs)', () => {
    let offered = 0;
    let withoutFix = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const org = randomOrg(seed);
      const findings = withFixes(org, [], (argv) => argv.join(' '));
      // The same findings, in the same order, as a plain audit of the org.
      expect(findings.map(findingKey)).toEqual(findRisks(org.tokens, org.roles, settings).map(findingKey));
      for (const f of findings) {
        if (f.fix === null) {
          withoutFix++;
          continue;
        }
        offered++;
        expect(clearsWhole(org, f, f.fix), `seed ${seed}: ${f.rule} ${f.clientId ?? f.roleId}: ${f.fix.join(' ')}`).toBe(true);
      }
    }
    // The orgs are varied enough to exercise both outcomes many times.
    expect(offered).toBeGreaterThan(500);
    expect(withoutFix).toBeGreaterThan(100);
  });

  it('one role update, checked once, is the fix of every token holding the role', () => {
    // No R/W User to narrow to: the custom role loses its admin action, which clears both tokens' admin-role findings
    // and leaves a role limited to one database (not broad, still held).
    const ops: AuditedRole = {
      id: 'ops',
      name: 'Ops',
      effect: 'allow',
      actions: ['org-token-write', 'db-cql'],
      resources: [ORG, `${ORG}:db:6f1c2a9e-0c1d-4e5f-8a9b-0123456789ab`],
      builtIn: false,
    };
    const token = (n: number): AuditedToken => ({
      clientId: `c${n}`,
      roles: [{ id: 'ops', name: 'Ops' }],
      description: 'ci',
      generatedOn: NOW.toISOString(),
      expiresAt: new Date(NOW.getTime() + 30 * DAY).toISOString(),
    });
    const org: AuditedOrg = { tokens: [token(1), token(2)], roles: [ops], settings };
    const findings = withFixes(org, [], (a) => a.join(' '));
    expect(findings.map((f) => [f.rule, f.clientId, f.fix?.join(' ')])).toEqual([
      ['admin-role', 'c1', 'role update ops --remove-action org-token-write'],
      ['admin-role', 'c2', 'role update ops --remove-action org-token-write'],
    ]);
    for (const f of findings) expect(clearsWhole(org, f, f.fix!)).toBe(true);

    // When the role's only other action is also an admin one, narrowing would leave it empty: no fix is offered.
    const adminOnly: AuditedOrg = { ...org, roles: [{ ...ops, actions: ['org-token-write'] }] };
    const none = withFixes(adminOnly, [], (a) => a.join(' '));
    expect(none.map((f) => f.fix)).toEqual([null, null]);
  });
});
