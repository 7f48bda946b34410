import { usesGlobals } from '../../global-options.js';
import type { Command, OptionValues } from '@commander-js/extra-typings';
import { dryRunOption, forceOption, noJsonOutput, outputFileOption, wideOption, yesOption } from '../options.js';
import { choiceOption, integerIn, lifetime, positiveDuration, secondsUpTo } from '../values.js';
import type { Program, VerbLoader } from '../verb.js';
import { allSelectors, descriptionSelector, expiredSelector, olderThanSelector, roleSelector, SELECTORS_HELP } from './selectors.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

const HANDOFF_TIMEOUT_REFUSED = {
  notNumber: 'is not a number of seconds between 0 and 86400',
  outOfRange: 'is not a number of seconds between 0 and 86400',
};

/** `--format` and the hand-over flags, shared by `token create` and `token rotate`. */
function deliveryOptions<A extends unknown[], O extends OptionValues, G extends OptionValues>(command: Command<A, O, G>) {
  return command
    .addOption(
      choiceOption(
        '--format <env|export>',
        'print ASTRA_DB_APPLICATION_TOKEN=<token> (env) or export ASTRA_DB_APPLICATION_TOKEN=<token> (export)',
        ['env', 'export'],
      ),
    )
    .option('--handoff <command>', 'run this shell command with the new token on its stdin (a single line)')
    .option('--handoff-env <name>', 'with --handoff: also give the command the token in this environment variable')
    .option(
      '--handoff-timeout <seconds>',
      'with --handoff: stop the command after this many seconds (default 60)',
      secondsUpTo(86_400, HANDOFF_TIMEOUT_REFUSED),
    );
}

const HANDOFF_HELP = `
--handoff runs the command through sh -c with the new token on stdin (never in
its arguments); its output goes to stderr, so --json output stays one
document. With --format env or export the token line is ready for eval or a
.env file (also in the --output-file); --format cannot be combined with
--json.`;

/** The noun's one-line summary: its help and the top-level help's list of nouns. */
export const SUMMARY = 'list, create, rotate, revoke and inspect application tokens';

export function registerToken(program: Program, load: VerbLoader) {
  const token = program
    .command('token')
    .description(SUMMARY)
    .addHelpText(
      'after',
      `
Examples:
  $ astra-token token list
  $ astra-token token create --role "R/W User" --expires 30d
  $ astra-token token delete AbCdEfGhIjKlMnOpQrStUvWx
  $ astra-token token rotate AbCdEfGhIjKlMnOpQrStUvWx --yes --output-file new-token
  $ astra-token token prune --expired --yes
  $ astra-token token exec --role "RO User" --ttl 15m -- ./report.sh
  $ astra-token token inspect --check --token-file token.txt
  $ astra-token token audit --fail-on high`,
    );

  const list = allSelectors(
    token
      .command('list')
      .addOption(wideOption())
      .description('every token of the org with role names, description, created, expiry and status'),
  )
    .addHelpText(
      'after',
      `
${SELECTORS_HELP} Piped output is tab-separated:
clientId, roles, description, generatedOn, expiresAt (ISO-8601 UTC; empty when it never expires).

Examples:
  $ astra-token token list
  $ astra-token token list --older-than 30d
  $ astra-token token list --role "Database Administrator" --expiring-within 14d
  $ astra-token token list --expired --json | jq -r '.[].clientId'`,
    )
    .action(load(async () => (await import('./list.js')).tokenList));

  const create = token
    .command('create')
    .description('create a token holding one or more roles; the token is shown only once')
    .option('--role <name-or-id>', 'a role by name or portal label (case-insensitive) or id; repeatable', collect)
    .option('--description <text>', 'what the token is for')
    .option('--expires <when>', 'an ISO-8601 instant or a duration from now (30d, 12h, 2w, P90D)')
    .option('--org-id <uuid>', 'create the token in another org of the enterprise')
    .addOption(outputFileOption())
    .option('--db <name-or-id>', 'limit the token to one database, through a custom "<db name> <role>" role')
    .option('--keyspace <name>', 'with --db: limit it further to one keyspace')
    .option('--table <name>', 'with --keyspace: limit it further to one table');
  const createVerb = deliveryOptions(create)
    .addHelpText(
      'after',
      `
The token alone goes to stdout (the whole JSON object with --json). With --output-file it goes to the file,
which must not exist yet, and stdout gets the client id only (with --json: the object without token and secret).
A failed --handoff command leaves the token created and delivered, and exits 8.
${HANDOFF_HELP}

Examples:
  $ astra-token token create --role "R/W User" --description "orders service" --expires 90d
  $ astra-token token create --role "Database Administrator" --role "RO User" --output-file ci-token.txt
  $ astra-token token create --role "API Read Only User" --expires 7d
  $ TOKEN=$(astra-token token create --role "R/W User" --json | jq -r .token)
  $ astra-token token create --role "R/W User" --format env >> .env
  $ astra-token token create --role "R/W User" --handoff 'gh secret set ASTRA_DB_APPLICATION_TOKEN'`,
    )
    .action(load(async () => (await import('./create.js')).tokenCreate));

  const del = token
    .command('delete')
    .description('revoke one or more tokens by client id')
    .argument('<clientId...>', 'client ids of the tokens to revoke')
    .addOption(yesOption('revoke without asking for confirmation'))
    .option('--if-exists', 'succeed when a token does not exist')
    .addOption(forceOption('allow revoking the token this command is authenticated with'))
    .addOption(dryRunOption('show what would be revoked and change nothing'))
    .addHelpText(
      'after',
      `
Asks for confirmation on a terminal; elsewhere --yes is required. Exit 8 when some tokens were revoked and
others were not (each failure is named).

Examples:
  $ astra-token token delete AbCdEfGhIjKlMnOpQrStUvWx
  $ astra-token token delete AbCdEfGhIjKlMnOpQrStUvWx ZyXwVuTsRqPoNmLkJiHgFeDc --yes --json
  $ astra-token token list --expired --json | jq -r '.[].clientId' | xargs -r astra-token token delete --yes`,
    )
    .action(load(async () => (await import('./delete.js')).tokenDelete));

  const rotate = token
    .command('rotate')
    .description('replace a token with a new one holding the same roles, then revoke the old one')
    .argument('<clientId>', 'client id of the token to replace')
    .option('--expires <when>', "expiry of the new token: an instant or a duration (default: the old one's lifetime)")
    .option('--no-expiry', 'the new token never expires (cannot be combined with --expires)')
    .option('--role <name-or-id>', 'give the new token this role instead of the old ones; repeat for several', collect)
    .option('--db <name-or-id>', 'give the new token the database-scoped role token create --db uses')
    .option('--keyspace <name>', 'with --db: limit it further to one keyspace')
    .option('--table <name>', 'with --keyspace: limit it further to one table')
    .option('--description <text>', "description of the new token (default: the old token's)")
    .addOption(outputFileOption('write the new token to this file (mode 0600) instead of stdout'))
    .option('--overwrite', 'with --output-file: replace an existing file atomically (still mode 0600)')
    .option('--if-older-than <duration>', 'rotate only a token created longer ago than this (else exit 0)', positiveDuration)
    .option('--if-expiring-within <duration>', 'rotate only a token that expires within this time (else exit 0)', positiveDuration)
    .option('--keep-old', 'do not revoke the old token (no confirmation needed then)')
    .option('--allow-short-expiry', 'allow a new lifetime under 1 hour (refused otherwise)')
    .addOption(yesOption('rotate without asking for confirmation'));
  const rotateVerb = deliveryOptions(rotate)
    .addHelpText(
      'after',
      `
The new token keeps what is not asked to change: the old token's roles,
description and lifetime (expiresAt - generatedOn, counted from now; never-
expiring only if the old one was, or with --no-expiry). A token holding a
deleted role is refused (exit 2) unless --role or --db gives the new roles. A
lifetime under 1 hour (given or inherited) needs --allow-short-expiry.
Scheduled runs: with --if-older-than and/or --if-expiring-within (due when any
one holds), a token that is not due is left alone: exit 0, nothing on stdout
(--json: {"rotated":false,"clientId":...,"reason":...}). An existing --output-
file is refused unless --overwrite.
Order: the new token is created and delivered (stdout, --json or --output-
file) first; it is checked to work, every saved profile holding the old token
is switched to it, and only then is the old token revoked. If a step after the
hand-over fails, the old token is kept, the exit code is 8 and the error names
the command that finishes the job. Rotating the token this command runs with
is allowed: the old one is revoked last, with the new one. Asks for
confirmation on a terminal; elsewhere --yes is required (not with --keep-old).
Stdout counts as delivered only when written without error: on /dev/null or
closed, with no --output-file, --handoff or saved profile to receive the
token, nothing is created (exit 2); if its reader went away (EPIPE) the old
token is kept (exit 8).
--json adds "replaced" (the old client id) and "revoked" (true/false) to the
token object.
With --handoff, the command runs after the profiles are switched and before
the revoke; the old token is revoked only if it exits 0 (otherwise, or after
--handoff-timeout, it is kept and the exit code is 8).
${HANDOFF_HELP}

Examples:
  $ astra-token token rotate AbCdEfGhIjKlMnOpQrStUvWx
  $ astra-token token rotate "$ID" --yes --output-file new-token --expires 90d
  $ astra-token token rotate "$ID" --yes --role "R/W User" --no-expiry
  $ astra-token token rotate "$ID" --yes --db orders --keyspace sales
  $ astra-token --token-file ci-token token rotate "$ID" --yes \\
      --if-expiring-within 30d --output-file ci-token --overwrite
  $ astra-token token rotate "$ID" --keep-old --json | jq -r .token
  $ astra-token token rotate "$ID" --yes \\
      --handoff "tr -d '\\n' | vault kv put secret/orders token=-"`,
    )
    .action(load(async () => (await import('./rotate.js')).tokenRotate));

  const prune = allSelectors(token.command('prune').description('revoke every token that matches all the given filters'))
    .addOption(dryRunOption('list what would be revoked and change nothing'))
    .addOption(yesOption('revoke without asking for confirmation'))
    .addOption(forceOption('also revoke the token this command is authenticated with, if it matches'))
    .option('--concurrency <n>', 'revoke up to this many at once (1-32, default 8)', integerIn(1, 32))
    .addHelpText(
      'after',
      `
At least one selector is required. ${SELECTORS_HELP}
The token this command runs with is skipped and reported unless --force. A progress line is drawn on stderr
when it is a terminal. Exit 8 when some tokens could not be revoked (each is named). Ctrl-C stops within a
few seconds: no new revoke starts, waits between retries are cut, and a revoke already sent gets up to 2 s to
answer; one that gets no answer is reported "interrupted: outcome unknown, check with token list". Then it reports and exits 130.

Examples:
  $ astra-token token prune --expired --dry-run
  $ astra-token token prune --expired --yes
  $ astra-token token prune --older-than 180d --description 'ci-*' --yes --json
  $ astra-token token prune --role "RO User" --expired --yes`,
    )
    .action(load(async () => (await import('./prune.js')).tokenPrune));

  const exec = noJsonOutput(token.command('exec'))
    .description('run one command with a short-lived token that is revoked when the command ends')
    .argument('<command...>', 'the command to run and its arguments, after --')
    .option('--role <name-or-id>', 'a role by name or portal label (case-insensitive) or id; repeatable', collect)
    .option('--db <name-or-id>', 'limit the token to one database, through the role token create --db uses')
    .option('--keyspace <name>', 'with --db: limit it further to one keyspace')
    .option('--table <name>', 'with --keyspace: limit it further to one table')
    .option('--ttl <duration>', 'the token expires this long after it is made, whatever happens (default 1h)', lifetime)
    .option('--env-name <NAME>', 'the variable that carries the token (default ASTRA_DB_APPLICATION_TOKEN)')
    .option('--description <text>', 'description of the token (default: astra-token exec: <command> (<user>@<host>, <time>, run <id>))')
    .option('--share-config', 'let the command see your saved profiles (hidden by default)')
    .addHelpText(
      'after',
      `
The command runs directly (no shell; use sh -c for one) with stdin, stdout and stderr of its own, the token in
ASTRA_DB_APPLICATION_TOKEN (or --env-name) and ASTRA_API_URL set to the API in use; the caller's own
ASTRA_DB_APPLICATION_TOKEN and ASTRA_PROFILE are removed from its environment, and ASTRA_TOKEN_CONFIG_DIR
points at an empty private directory (removed afterwards), so an astra-token inside cannot fall back to
your own profiles; --share-config lets it see them. The token is never printed or written anywhere.
When the command ends, for any reason, the token is revoked, even when our stdout or stderr is gone.
SIGTERM and SIGHUP are forwarded to the command, and SIGINT and SIGQUIT too unless they came from the
terminal (which already sent them to the command). A signal before the command started stops the run;
a token the create may have made is found by its description and revoked.
Exit code: ours until the command starts (127 when it is not found); then the command's (128 + signal
number when a signal ended it); 8 when the token could not be revoked (the delete command to run is printed).
Leftovers of a run that could not revoke: token prune --description 'astra-token exec:*' --expired --yes

Examples:
  $ astra-token token exec --role "R/W User" --ttl 15m -- ./migrate.sh --apply < plan.sql
  $ astra-token token exec --db orders --keyspace sales -- python fix_orders.py
  $ astra-token token exec --role "RO User" -- sh -c 'astra-token token inspect --check'
  $ astra-token token exec --role "RO User" --share-config -- ./uses-my-profiles.sh`,
    )
    .action(load(async () => (await import('./exec.js')).tokenExec));

  const inspect = token
    .command('inspect')
    .description("show a token's client id and format offline; --check asks the API whether it is live")
    .option('--check', 'ask the API whether the token is live, its org, roles and expiry')
    .addHelpText(
      'after',
      `
The token is read from --token-file (- = stdin), else ASTRA_DB_APPLICATION_TOKEN or the active profile;
stdin (when it is not a terminal) is read only when none of those is set, so an open, silent stdin never
makes it wait. The secret part is never printed. Exit 2 when it is not a valid Astra token, 3 when --check
finds it rejected.

Examples:
  $ astra-token token inspect --token-file - < token.txt
  $ astra-token --token-file ci-token.txt token inspect --check
  $ astra-token token inspect --check --json | jq .check.live`,
    )
    .action(load(async () => (await import('./inspect.js')).tokenInspect));

  const audit = token
    .command('audit')
    .description("report the org's token risks (admin roles, no expiry, old, unowned...) and gate CI on them")
    .option('--max-age <duration>', 'too-old: tokens created longer ago than this (default 90d)', positiveDuration)
    .option('--expiring-within <duration>', 'expiring: tokens that expire within this time (default 14d)', positiveDuration)
    .addOption(wideOption())
    .addOption(
      choiceOption('--fail-on <level>', 'exit 9 when a finding at or above high, medium or low remains (default never)', [
        'high',
        'medium',
        'low',
        'never',
      ]),
    )
    .option('--fail-on-rule <rules>', 'exit 9 when a finding of one of these rules remains (comma-separated: no-expiry,admin-role)')
    .option('--baseline <file>', "an earlier run's --json report: add what changed since then")
    .option('--ignore <rule[:id]>', 'suppress a rule, or a rule for one client id or role id; repeat for several', collect)
    .option('--ignore-file <file>', 'suppressions, one a line: <rule>[:<id>] [until YYYY-MM-DD], # comments')
    .addOption(
      choiceOption('--format <table|md|csv>', 'table (tab-separated when piped), md (Markdown for a CI summary) or csv (RFC 4180)', [
        'table',
        'md',
        'csv',
      ]),
    )
    .addOption(roleSelector())
    .addOption(olderThanSelector())
    .addOption(expiredSelector())
    .addOption(descriptionSelector())
    .addHelpText(
      'after',
      `
Rules (severity): admin-role (high), no-expiry, too-old, broad-custom-role
(medium), deleted-role, no-description, expiring, expired (low), unused-role
(info). An expired token gets only 'expired'.
Each finding's advice ends in the one command that clears it and adds no other
finding (--json: "fix", its argv), checked against the org as it would be
after it; none when no single command can (e.g. no-description: only you know
the owner). Add --yes (and --output-file for a rotation) to run it unattended.
Reads the token list and the roles (it needs org-token-read and org-role-read)
and changes nothing. Findings are ordered by severity, rule and id. The
credential running the audit is marked in the report.
Exit 9 (POLICY) when a finding at or above --fail-on, or of a rule named by
--fail-on-rule, remains after suppressions; the report is still printed. An
ignore-file entry with 'until YYYY-MM-DD' applies through that day (UTC); after
it the finding returns. An --ignore or --ignore-file entry that matches no
finding is warned about (--json: "unusedSuppressions"): the token was revoked,
or the id is mistyped.
--role, --older-than, --expired and --description limit the audit to the tokens
they select (as in token list; here --expiring-within sets the 'expiring' rule
instead); role findings then cover only the roles those tokens hold.

Examples:
  $ astra-token token audit
  $ astra-token token audit --fail-on high --ignore admin-role:<clientId>
  $ astra-token token audit --fail-on-rule no-expiry,admin-role \\
      --description 'ci-*'
  $ astra-token token audit --json > audit.json
  $ astra-token token audit --baseline last-week.json --format md \\
      >> "$GITHUB_STEP_SUMMARY"
  $ astra-token token audit --format csv > audit.csv`,
    )
    .action(load(async () => (await import('./audit.js')).tokenAudit));
  // Verbs that never ask for confirmation: --no-input does not concern them. exec refuses --json (stdout is the
  // command's).
  for (const verb of [list, createVerb, inspect, audit]) usesGlobals(verb, 'credential', 'request', 'json');
  usesGlobals(exec, 'credential', 'request');
  return { list, create: createVerb, delete: del, rotate: rotateVerb, prune, exec, inspect, audit };
}

export type TokenVerbs = ReturnType<typeof registerToken>;
