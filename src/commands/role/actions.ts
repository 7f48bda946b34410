import type { Context } from '../../context.js';
import { KNOWN_ACTIONS } from '../../domain/known-actions.js';
import { renderList } from '../../output/render.js';

/** The documented policy actions, for writing `--action` flags. Offline: no credential needed. */
export function roleActions(ctx: Context): Promise<void> {
  const actions = [...KNOWN_ACTIONS].sort();
  renderList(ctx, actions, [{ header: 'ACTION', plain: (a) => a }], actions);
  return Promise.resolve();
}
