// Flag values are checked by their declarations (src/commands/values.ts): enumerations match whatever the case and
// spacing, numbers and durations are parsed once, and a refused value is one line naming the flag (exit 2).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError, type CommandUnknownOpts, type Option } from '@commander-js/extra-typings';
import { describe, expect, it } from 'vitest';
import { createProgram } from '../../src/main.js';
import type { VerbLoader } from '../../src/commands/verb.js';
import { choiceOption, decimalIn, duration, integerIn, lifetime, oneOf, positiveDuration, secondsUpTo } from '../../src/commands/values.js';
import { runCli, tempConfigDir } from '../helpers/cli.js';
import { useEmulator } from '../helpers/emulator.js';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const emu = useEmulator({ state: { now: () => NOW } });

/** Every option of the whole command tree, with the command path that declares it. */
function allOptions(): Array<{ path: string; option: Option }> {
  const noLoad = (() => () => Promise.resolve()) as unknown as VerbLoader;
  const { program } = createProgram({ streams: {} as never, env: {} }, noLoad);
  const found: Array<{ path: string; option: Option }> = [];
  const walk = (cmd: CommandUnknownOpts, path: string) => {
    for (const option of cmd.options as Option[]) found.push({ path, option });
    for (const sub of cmd.commands) walk(sub, `${path} ${sub.name()}`.trim());
  };
  walk(program, '');
  return found;
}

const refused = (parse: () => unknown) => {
  try {
    parse();
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidArgumentError);
    return (err as Error).message;
  }
  throw new Error('the value was accepted');
};

describe('the parsers', () => {
  it('oneOf: trimmed, any case, the listed spelling back; anything else names the choices', () => {
    expect(oneOf(' MD ', ['table', 'md', 'csv'])).toBe('md');
    expect(oneOf('Csv', ['table', 'md', 'csv'])).toBe('csv');
    expect(refused(() => oneOf('xml', ['table', 'md', 'csv']))).toBe('is not one of table, md, csv');
    expect(refused(() => oneOf('', ['a', 'b']))).toBe('is not one of a, b');
  });

  it('integerIn: whole numbers within the bounds only', () => {
    const port = integerIn(0, 65_535);
    expect(port(' 8181 ')).toBe(8181);
    expect(port('0')).toBe(0);
    for (const bad of ['65536', '-1', '1.5', '1e3', 'abc', ''])
      expect(refused(() => port(bad))).toBe('is not a whole number from 0 to 65535');
  });

  it('decimalIn: decimals within the bounds only', () => {
    const rate = decimalIn(0, 1);
    expect(rate('0.25')).toBe(0.25);
    expect(rate('.5')).toBe(0.5);
    expect(rate('1')).toBe(1);
    for (const bad of ['1.5', '-0.1', 'half', '']) expect(refused(() => rate(bad))).toBe('is not a number from 0 to 1');
  });

  it('secondsUpTo: seconds (fractions too) as milliseconds; the reason tells a number out of range from no number', () => {
    const seconds = secondsUpTo(3600, { notNumber: 'NaN', outOfRange: 'range' });
    expect(seconds('2.5')).toBe(2500);
    expect(seconds(' 3600 ')).toBe(3_600_000);
    expect(refused(() => seconds('0'))).toBe('range');
    expect(refused(() => seconds('-1'))).toBe('range');
    expect(refused(() => seconds('3601'))).toBe('range');
    expect(refused(() => seconds('soon'))).toBe('NaN');
  });

  it('duration and positiveDuration: milliseconds; zero only where it means something', () => {
    expect(duration('30d')).toBe(30 * 86_400_000);
    expect(duration(' P1DT2H ')).toBe(26 * 3_600_000);
    expect(duration('0d')).toBe(0);
    expect(refused(() => duration('3 months'))).toBe('is not a duration; use e.g. 30d, 12h, 90m, 2w or P90D');
    expect(positiveDuration('12h')).toBe(12 * 3_600_000);
    expect(refused(() => positiveDuration('0d'))).toBe('must be longer than zero');
    expect(lifetime(' 15m ')).toEqual({ ms: 900_000, text: '15m' });
    expect(refused(() => lifetime('0s'))).toBe('must be longer than zero');
  });

  it('choiceOption: the choices reach help and completion; the value matches whatever the case', () => {
    const option = choiceOption('--shape <shape>', 'a shape', ['docs', 'spec']);
    expect(option.argChoices).toEqual(['docs', 'spec']);
    expect(option.parseArg!('SPEC', undefined as never)).toBe('spec');
  });
});

describe('every enumeration in the command tree', () => {
  const enumerations = allOptions().filter(({ option }) => option.argChoices !== undefined);

  it('finds the enumerations the CLI has', () => {
    const names = enumerations.map(({ path, option }) => `${path} ${option.long}`.trim());
    expect(names).toEqual(
      expect.arrayContaining([
        '--env',
        'org add --storage',
        'org storage --to',
        'token create --format',
        'token rotate --format',
        'token audit --fail-on',
        'token audit --format',
        'emulator --api-shape',
      ]),
    );
  });

  it.each(enumerations.map(({ path, option }) => [`${path} ${option.long}`.trim(), option] as const))(
    '%s: every choice in upper case and padded is accepted as the choice; another word is refused',
    (_name, option) => {
      for (const choice of option.argChoices!) expect(option.parseArg!(` ${choice.toUpperCase()} `, undefined as never)).toBe(choice);
      expect(refused(() => option.parseArg!('no-such-value', undefined as never))).toBe(`is not one of ${option.argChoices!.join(', ')}`);
    },
  );
});

describe('through the CLI', () => {
  const env = () => ({ ASTRA_DB_APPLICATION_TOKEN: emu.adminToken, ASTRA_API_URL: emu.baseUrl });

  it('--format MD is --format md (token audit)', async () => {
    const upper = await runCli(['token', 'audit', '--format', 'MD'], { env: env(), now: NOW });
    const lower = await runCli(['token', 'audit', '--format', 'md'], { env: env(), now: NOW });
    expect(upper.code).toBe(0);
    expect(upper.stdout).toMatch(/^#+ /m);
    expect(upper.stdout.replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, '<t>')).toBe(lower.stdout.replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, '<t>'));
  });

  it('--env PROD is --env prod (org add saves env prod; nothing is sent)', async () => {
    const dir = tempConfigDir();
    const r = await runCli(['org', 'add', 'p', '--env', 'PROD', '--no-validate', '--with-token'], {
      env: { ASTRA_TOKEN_CONFIG_DIR: dir },
      stdin: emu.adminToken,
    });
    expect(r).toMatchObject({ code: 0 });
    const saved = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as { profiles: Array<{ env?: string; apiUrl: string }> };
    expect(saved.profiles[0]).toMatchObject({ env: 'prod', apiUrl: 'https://api.astra.datastax.com' });
  });

  it('token create --format ENV prints the env line', async () => {
    const r = await runCli(['token', 'create', '--role', 'RO User', '--format', 'ENV'], { env: env(), now: NOW });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ASTRA_DB_APPLICATION_TOKEN=AstraCS:[A-Za-z0-9]+:[0-9a-f]+\n$/);
  });

  it.each([
    [['token', 'audit', '--format', 'XML'], "--format: 'XML' is not one of table, md, csv"],
    [['token', 'create', '--role', 'RO User', '--format', 'yaml'], "--format: 'yaml' is not one of env, export"],
    [['token', 'list', '--env', 'mars'], "--env: 'mars' is not one of prod, dev, test"],
    [['token', 'prune', '--expired', '--concurrency', '64'], "--concurrency: '64' is not a whole number from 1 to 32"],
    [['token', 'list', '--expiring-within', 'soon'], "--expiring-within: 'soon' is not a duration; use e.g. 30d, 12h, 90m, 2w or P90D"],
    [['emulator', '--port', '70000'], "--port: '70000' is not a whole number from 0 to 65535"],
    [['emulator', '--latency', 'slow'], "--latency: 'slow' is not a whole number from 0 to 60000"],
    [['emulator', '--api-shape', 'openapi'], "--api-shape: 'openapi' is not one of docs, spec, mixed"],
    [['completion', 'tcsh'], "completion: 'tcsh' is not one of bash, zsh, fish"],
  ])('%j: exit 2, one line, nothing sent', async (argv, message) => {
    const before = emu.state.requests.length;
    const r = await runCli(argv, { env: env(), now: NOW });
    expect(r).toEqual({ code: 2, stdout: '', stderr: `error: ${message}\n` });
    expect(emu.state.requests.length).toBe(before);
  });

  it('a refused value with --json is one JSON line', async () => {
    const r = await runCli(['token', 'audit', '--json', '--fail-on', 'CRITICAL'], { env: env(), now: NOW });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(JSON.parse(r.stderr)).toEqual({
      error: { code: 'USAGE', message: "--fail-on: 'CRITICAL' is not one of high, medium, low, never" },
    });
  });
});
