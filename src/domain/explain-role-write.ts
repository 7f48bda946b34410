// What a failed role write (create, update, delete) tells the user: the missing permission on 403, the taken name on
// 409. Shared by the role verbs and by `token create --db`, which creates a scoped role.
import { AppError, withHint, isConflict, isMissingPermission, answerStatus } from '../errors.js';
import { printable } from '../text/terminal.js';

/** Adds the "what to do" part to the API's answers for role writes: which permission a 403 lacks; a 409 on `name`. */
export function explainWriteError(err: unknown, permission: string, name?: string): unknown {
  if (isMissingPermission(err))
    return withHint(err, `the credential's roles lack ${permission}; use a token with the Organization Administrator role`);
  if (isConflict(err) && name !== undefined) {
    return new AppError('CONFLICT', `a role named '${printable(name)}' already exists`, {
      status: answerStatus(err),
      cause: err,
      hint: 'role names are unique in an org (case-insensitively); pick another name',
    });
  }
  return err;
}
