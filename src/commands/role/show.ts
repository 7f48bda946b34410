// How one role looks: a label/value record on a TTY (actions and resources one per line), `label<TAB>value` lines
// piped, and the contract's role object with --json. Shared by get, create and update.
import type { Role } from '../../api/schemas.js';
import type { Context } from '../../context.js';
import { renderRecord } from '../../output/render.js';
import { terminalSafeRecord } from '../../text/terminal.js';
import { roleJson } from './list.js';

export function renderRole(ctx: Context, role: Role): void {
  const safe = terminalSafeRecord(role);
  renderRecord(
    ctx,
    [
      ['id', safe.id],
      ['name', safe.name],
      ['type', safe.builtIn ? 'built-in' : 'custom'],
      // An empty list shows as "(none)" on a TTY and as an empty value when piped.
      ['description', safe.description === '' ? [] : safe.description],
      ['effect', safe.effect],
      ['actions', safe.actions],
      ['resources', safe.resources],
    ],
    roleJson(role),
  );
}
