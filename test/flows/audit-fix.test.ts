// Every audit rule's `fix`, applied through the built bin and re-audited, on every API shape: the finding is gone and
// no finding was added. A rotation's new token answers for the old one (a finding the old token had, such as a missing
// description, is carried over, not new). Where no single command can clear a finding, `fix` is null.
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { DAY, FLOW_TIMEOUT_MS, describeShapes, type Flow } from '../helpers/flow.js';
import { orgDrn, seedRole } from '../helpers/fixtures/role.js';

interface Finding {
  rule: string;
  clientId: string | null;
  roleId: string | null;
  advice: string;
  fix: string[] | null;
}

const key = (f: Pick<Finding, 'rule' | 'clientId' | 'roleId'>) => `${f.rule} ${f.clientId} ${f.roleId}`;
const at = (days: number) => new Date(Date.now() + days * DAY);

/** The org with one subject per rule (and the cases where no single command can help). */
function seed(flow: Flow) {
  const { state } = flow.emu;
  const org = state.defaultOrg.id;
  const db = `${orgDrn(flow.emu)}:db:${state.defaultOrg.databases[0]!.id}`;
  const token = (roles: string[], description: string, expiresAt: Date | null, generatedOn = at(-1)) =>
    state.issueToken(org, roles, { description, expiresAt, generatedOn }).clientId;
  const narrow = (name: string) => seedRole(flow.emu, name, { actions: ['db-cql'], resources: [db] }).id;
  const minter = seedRole(flow.emu, 'token minter', { actions: ['org-token-read', 'org-token-write'], resources: [orgDrn(flow.emu)] }).id;
  const broadHeld = seedRole(flow.emu, 'every db held', { actions: ['db-cql'] }).id;
  const gone = narrow('gone soon');
  const goneToo = narrow('gone too');
  const s = {
    auditor: state.issueToken(org, ['UI View Only'], { description: 'auditor', expiresAt: at(60) }).token,
    dba: token(['Database Administrator'], 'dba job', at(60)),
    minted: token([minter], 'minter job', at(60)),
    minter,
    noExpiry: token(['RO User'], 'reports', null),
    old: token(['RO User'], 'legacy', at(100), at(-100)),
    broad: seedRole(flow.emu, 'every db', { actions: ['db-cql'] }).id,
    broadHeld,
    broadHolder: token([broadHeld], 'broad holder', at(60)),
    someDeleted: token([gone, 'RO User'], 'half gone', at(60)),
    allDeleted: token([goneToo], 'all gone', at(60)),
    noDescription: token(['RO User'], '', at(60)),
    expiring: token(['RO User'], 'soon', at(5), at(-25)),
    expired: token(['RO User'], 'stale', at(-10), at(-40)),
    unused: narrow('nobody'),
  };
  const roles = state.defaultOrg.roles;
  roles.splice(
    roles.findIndex((r) => r.id === gone),
    1,
  );
  roles.splice(
    roles.findIndex((r) => r.id === goneToo),
    1,
  );
  return s;
}

describeShapes("token audit: each finding's fix clears it and adds none", (run) => {
  it(
    'every rule: the fix applied, then the audit run again',
    () =>
      run(async (flow) => {
        const s = seed(flow);
        const audit = async () => {
          const r = await flow.as(s.auditor)(['token', 'audit', '--json']);
          expect(r.code).toBe(0);
          return (JSON.parse(r.stdout) as { findings: Finding[] }).findings;
        };
        const cases: Array<{ rule: string; subject: string; fix: RegExp | null }> = [
          { rule: 'admin-role', subject: s.dba, fix: new RegExp(`^token rotate ${s.dba} --role R/W User$`) },
          { rule: 'admin-role', subject: s.minted, fix: new RegExp(`^role update ${s.minter} --remove-action org-token-write$`) },
          { rule: 'no-expiry', subject: s.noExpiry, fix: new RegExp(`^token rotate ${s.noExpiry} --expires 90d$`) },
          { rule: 'too-old', subject: s.old, fix: new RegExp(`^token rotate ${s.old}$`) },
          { rule: 'broad-custom-role', subject: s.broad, fix: new RegExp(`^role delete ${s.broad}$`) },
          { rule: 'broad-custom-role', subject: s.broadHeld, fix: null },
          { rule: 'deleted-role', subject: s.someDeleted, fix: new RegExp(`^token rotate ${s.someDeleted} --role RO User$`) },
          { rule: 'deleted-role', subject: s.allDeleted, fix: new RegExp(`^token delete ${s.allDeleted}$`) },
          { rule: 'no-description', subject: s.noDescription, fix: null },
          { rule: 'expiring', subject: s.expiring, fix: new RegExp(`^token rotate ${s.expiring}$`) },
          { rule: 'expired', subject: s.expired, fix: new RegExp(`^token delete ${s.expired}$`) },
          { rule: 'unused-role', subject: s.unused, fix: new RegExp(`^role delete ${s.unused}$`) },
        ];
        let findings = await audit();
        for (const [i, c] of cases.entries()) {
          const finding = findings.find((f) => f.rule === c.rule && (f.clientId === c.subject || f.roleId === c.subject));
          expect(finding, `${c.rule} ${c.subject}`).toBeDefined();
          if (c.fix === null) {
            expect(finding!.fix).toBeNull();
            continue;
          }
          expect(finding!.fix!.join(' ')).toMatch(c.fix);
          // The human advice ends in the same command, quoted for a shell.
          expect(finding!.advice).toMatch(/: astra-token (token|role) /);
          expect(finding!.advice.endsWith(finding!.fix!.map((w) => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w}'`)).join(' '))).toBe(true);

          const [noun, verb] = finding!.fix!;
          const extra = verb === 'rotate' ? ['--yes', '--output-file', join(flow.dir, `new-${i}`)] : verb === 'delete' ? ['--yes'] : [];
          const applied = await flow.admin([...finding!.fix!, ...extra]);
          expect(applied.code, `${noun} ${verb}: ${applied.stderr}`).toBe(0);
          const replacedBy = verb === 'rotate' ? applied.stdout.trim() : undefined;

          const carried = (f: Finding) => (replacedBy && f.clientId === finding!.clientId ? { ...f, clientId: replacedBy } : f);
          const before = new Set(findings.map((f) => key(carried(f))));
          findings = await audit();
          expect(findings.map(key)).not.toContain(key(carried(finding!)));
          expect(findings.map(key).filter((k) => !before.has(k))).toEqual([]);
          if (replacedBy) expect(flow.token(finding!.clientId!)).toBeUndefined();
        }
      }),
    FLOW_TIMEOUT_MS,
  );
});
