// Where a profile's token lives and how it is read, written, moved and forgotten: the OS keychain where one is
// usable, else the 0600 config file. A keychain that is locked, denied or gone when a token is needed is an error
// naming the profile and what to do (exit 3), never a silent fallback to another credential; so is a keychain that
// does not answer, and an entry that holds another token than the one the profile recorded.
import { AppError, UsageError } from '../errors.js';
import { printable } from '../text/terminal.js';
import { clientIdOf } from './config-schema.js';
import { KEYRING_SERVICE, newAccountId, type Keyring, type KeyringStatus } from './keyring.js';
import type { Profile, TokenStorage } from './store.js';

export type StorageChoice = TokenStorage | 'auto';

export interface ProfileTokensDeps {
  keyring: () => Keyring;
  /** A person is there to answer an unlock prompt (a TTY, and no --no-input). */
  canPrompt: boolean;
  /**
   * The profile as the store says now (undefined when it is gone): read again when its keychain entry is missing,
   * since `org storage --to file` may have moved the token between the caller's read of the store and this one.
   */
  reload?: (name: string) => Promise<Profile | undefined>;
}

export class ProfileTokens {
  private statusOnce?: Promise<KeyringStatus>;

  constructor(private readonly deps: ProfileTokensDeps) {}

  /** The keychain's status, asked once per invocation. */
  status(): Promise<KeyringStatus> {
    return (this.statusOnce ??= this.deps.keyring().status());
  }

  /**
   * Where a new token goes: `file` and `keyring` as asked (keyring with none usable: exit 2 with the reason);
   * `auto` picks the keychain when one is usable, else, where the machine has none at all, the file with a one-line
   * reason to show. A keychain that exists but is locked, with nobody to answer its unlock prompt, is not "none":
   * exit 3 before anything is saved, rather than a token quietly left in plain text.
   */
  /** `asked`: the flag that asked for the keychain, for the refusal (`--storage keyring` on org add, `--to keyring` on org storage). */
  async choose(choice: StorageChoice, asked = '--storage keyring'): Promise<{ storage: TokenStorage; fallback?: string }> {
    if (choice === 'file') return { storage: 'file' };
    const status = await this.status();
    if (status.state === 'ready' || this.usable(status)) return { storage: 'keyring' };
    if (status.state === 'locked' || status.state === 'silent') {
      const why =
        status.state === 'locked'
          ? `the keychain is locked (${status.reason}) and cannot ask to be unlocked here (no terminal, or --no-input)`
          : `the keychain did not answer (${status.reason})`;
      throw new AppError('UNAUTHENTICATED', `${why}; nothing was saved`, {
        hint: `${status.state === 'locked' ? UNLOCK_HOW : RESTART_HOW}, then run the command again; or keep the token in the 0600 config file knowingly with --storage file`,
      });
    }
    if (choice === 'keyring') {
      throw new UsageError(`${asked}: no keychain is usable here: ${status.reason}`, {
        hint: asked === '--storage keyring' ? 'use --storage file (a 0600 file in the config dir)' : 'the token stays where it is',
      });
    }
    return { storage: 'file', fallback: status.reason };
  }

  /**
   * The profile's token, from wherever it lives. A keychain entry must hold a token of the client id the profile
   * recorded: another token there (written by another tool, or a mix-up) is refused, never used in its place.
   */
  async read(profile: Profile): Promise<string> {
    if (profile.storage === 'file') return profile.token ?? '';
    const account = profile.account!;
    await this.requireKeyring(profile, 'read');
    let token: string | null;
    try {
      token = await this.deps.keyring().get(account);
    } catch (err) {
      throw keyringFailure(profile, 'read', err);
    }
    const name = printable(profile.name);
    if (token === null) {
      // Moved (or replaced) meanwhile: the store as it is now says where the token lives; read it from there.
      const now = await this.deps.reload?.(profile.name);
      if (now && (now.storage !== profile.storage || now.account !== profile.account)) return this.read(now);
      throw new AppError(
        'UNAUTHENTICATED',
        `profile '${name}': its token is missing from the keychain (entry ${KEYRING_SERVICE}/${account})`,
        {
          hint: `it was deleted outside astra-token; save the token again with: astra-token org add '${name}' --force`,
        },
      );
    }
    const found = clientIdOf(token);
    if (found !== profile.clientId) {
      throw new AppError(
        'UNAUTHENTICATED',
        `profile '${name}': its keychain entry (${KEYRING_SERVICE}/${account}) holds ${found ? `the token of client ${found}` : 'something that is not a token'}, not the token of client ${profile.clientId} the profile recorded; it was not used`,
        {
          hint: `the entry was changed outside astra-token; save the right token again with: astra-token org add '${name}' --force`,
        },
      );
    }
    return token;
  }

  /** Stores a token in a new keychain entry and reads it back; its account id. */
  async saveNew(profile: Pick<Profile, 'name'>, token: string): Promise<string> {
    const account = newAccountId();
    await this.write({ name: profile.name, account }, token);
    return account;
  }

  /** Writes the token into the profile's keychain entry and checks it reads back the same. */
  async write(profile: Pick<Profile, 'name' | 'account'>, token: string): Promise<void> {
    await this.requireKeyring(profile, 'write');
    const keyring = this.deps.keyring();
    try {
      await keyring.set(profile.account!, token);
      if ((await keyring.get(profile.account!)) !== token) throw new Error('the token did not read back the same');
    } catch (err) {
      throw keyringFailure(profile, 'write', err);
    }
  }

  /** Deletes a keychain entry; the reason when it could not be deleted (the caller warns), else undefined. */
  async forget(profile: Pick<Profile, 'name' | 'account'>): Promise<string | undefined> {
    try {
      const status = await this.status();
      if (status.state !== 'ready' && !this.usable(status)) return status.reason;
      await this.deps.keyring().delete(profile.account!);
      return undefined;
    } catch (err) {
      return err instanceof Error ? err.message.split('\n', 1)[0] : String(err);
    }
  }

  /** A locked keychain is usable only where a person can answer its unlock prompt. */
  private usable(status: KeyringStatus): boolean {
    return status.state === 'ready' || (status.state === 'locked' && this.deps.canPrompt);
  }

  private async requireKeyring(profile: Pick<Profile, 'name'>, what: 'read' | 'write'): Promise<void> {
    const status = await this.status();
    if (status.state === 'ready' || this.usable(status)) return;
    const name = printable(profile.name);
    if (status.state === 'silent') {
      throw new AppError(
        'UNAUTHENTICATED',
        `profile '${name}': its token is in the keychain, which did not answer (${status.reason}); it was not ${what === 'read' ? 'read' : 'changed'}`,
        { hint: `${RESTART_HOW}, then run the command again` },
      );
    }
    if (status.state === 'locked') {
      throw new AppError(
        'UNAUTHENTICATED',
        `profile '${name}': its token is in the keychain, which is locked (${status.reason}); it was not ${what === 'read' ? 'read' : 'changed'}`,
        {
          hint: `${UNLOCK_HOW}, or run this on a terminal without --no-input to be asked; then run the command again. Once it is unlocked, astra-token org storage '${name}' --to file can move the token to the file`,
        },
      );
    }
    throw new AppError(
      'UNAUTHENTICATED',
      `profile '${name}': its token is in the keychain, but no keychain is usable here: ${status.reason}`,
      {
        hint: `run it where the keychain is reachable (your desktop session), or save the token again with: astra-token org add '${name}' --force --storage file`,
      },
    );
  }
}

/**
 * How to unlock a keychain, on a desktop and on a headless box. GNOME Keyring 42's `--unlock` alone starts a second
 * daemon and leaves the running one locked; `--replace` hands the unlocked keyring to the one it starts.
 */
const UNLOCK_HOW =
  'unlock the keychain (on a desktop: its keyring app, or log in again; on a headless box with GNOME Keyring: printf \'%s\' "$KEYRING_PASSWORD" | gnome-keyring-daemon --replace --unlock --daemonize --components=secrets)';

/** What to do about a keychain that does not answer. */
const RESTART_HOW =
  'check that the keychain daemon is running and not stopped or hung (GNOME Keyring: gnome-keyring-daemon --replace --daemonize --components=secrets, then unlock it)';

function keyringFailure(profile: Pick<Profile, 'name'>, what: 'read' | 'write', err: unknown): AppError {
  const reason = err instanceof Error ? err.message.split('\n', 1)[0] : String(err);
  const name = printable(profile.name);
  return new AppError('UNAUTHENTICATED', `profile '${name}': the keychain refused to ${what} its token: ${reason}`, {
    cause: err,
    hint: `${UNLOCK_HOW}, or allow astra-token access to it; then run the command again. Once it answers, astra-token org storage '${name}' --to file can move the token to the file`,
  });
}
