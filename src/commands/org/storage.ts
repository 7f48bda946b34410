// `org storage <name> --to keyring|file`: move a profile's token between the OS keychain and the config file.
// Write to the target, read it back, and only then let go of the source: a failure at any step leaves the token
// where it was.
import { findProfile } from '../../config/credentials.js';
import type { ConfigData, Profile, TokenStorage } from '../../config/store.js';
import type { Context } from '../../context.js';
import { AppError } from '../../errors.js';
import { printable } from '../../text/terminal.js';
import { renderResult } from '../../output/result.js';
import type { OptionsOf } from '../verb.js';
import { profileItem } from './profile-item.js';
import type { OrgVerbs } from './register.js';

export type OrgStorageOptions = OptionsOf<OrgVerbs['storage']>;

const WHERE: Readonly<Record<TokenStorage, string>> = { keyring: 'the OS keychain', file: 'the config file (0600)' };

export async function orgStorage(ctx: Context, name: string, opts: OrgStorageOptions): Promise<void> {
  const to = opts.to;
  const store = await ctx.store();
  const before = findProfile(store.read(), name);
  const label = `'${printable(before.name)}'`;
  if (before.storage === to) {
    ctx.io.info(`Profile ${label} already keeps its token in ${WHERE[to]}; nothing to move.`);
    return done(ctx, before, store.read());
  }

  const tokens = await ctx.tokens();
  // No keychain to move to: exit 2 before anything is read or written.
  if (to === 'keyring') await tokens.choose('keyring', '--to keyring');
  const token = await tokens.read(before);
  const now = ctx.now().toISOString();

  if (to === 'keyring') {
    const account = await tokens.saveNew(before, token);
    try {
      store.update((data) => {
        const p = unchanged(data, before);
        delete p.token;
        Object.assign(p, { storage: 'keyring', account, updatedAt: now });
      });
    } catch (err) {
      await tokens.forget({ name: before.name, account });
      throw err;
    }
  } else {
    store.update((data) => {
      const p = unchanged(data, before);
      delete p.account;
      Object.assign(p, { storage: 'file', token, updatedAt: now });
    });
    const back = findProfile(store.read(), name);
    if (back.storage !== 'file' || back.token !== token) {
      throw new AppError('INTERNAL', `profile ${label}: the token did not read back from ${store.path}; its keychain entry is kept`);
    }
    const why = await tokens.forget(before);
    if (why)
      ctx.io.warn(`the old keychain entry (astra-token/${before.account}) could not be deleted: ${why}; delete it with your keychain tool`);
  }
  ctx.io.success(`moved the token of profile ${label} to ${WHERE[to]}`);
  const after = store.read();
  done(ctx, findProfile(after, name), after);
}

/** The profile as it was read before the move; a concurrent change (replaced, moved, removed) stops the move. */
function unchanged(data: ConfigData, before: Profile): Profile {
  const p = data.profiles.find((x) => x.name === before.name);
  if (!p || p.storage !== before.storage || p.account !== before.account || p.clientId !== before.clientId) {
    throw new AppError('CONFLICT', `profile '${printable(before.name)}' changed while its token was being moved; nothing was moved`, {
      hint: 'run the command again',
    });
  }
  return p;
}

function done(ctx: Context, profile: Profile, config: ConfigData): void {
  renderResult(ctx, { json: profileItem(profile, config) });
}
