// How one role looks: a label/value record on a TTY (actions and resources one per line), `label<TAB>value` lines
// piped, and the contract's role object with --json. Shared by get, create and update.
import type { Role } from '../../api/schemas.js';
import type { Context } from '../../context.js';
import { renderRecord } from '../../output/render.js';
import { roleJson } from './list.js';

export function renderRole(ctx: Context, role: Role): void {
  renderRecord(
    ctx,
    [
      ['id', role.id],
      ['name', role.name],
      ['type', role.builtIn ? 'built-in' : 'custom'],
      // An empty list shows as "(none)" on a TTY and as an empty value when piped.
      ['description', role.description === '' ? [] : role.description],
      ['effect', role.effect],
      ['actions', role.actions],
      ['resources', role.resources],
    ],
    roleJson(role),
  );
}
