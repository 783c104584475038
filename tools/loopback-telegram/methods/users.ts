import type { TlObject } from '../tl/codec';
import type { UserRecord } from '../state';
import { type MethodTable, long, requireUser, vec } from './types';

/** The `user` constructor for an account; the phone number is shown only to its owner. */
export function userObject(u: UserRecord, self: boolean): TlObject {
  return {
    _: 'user',
    self,
    id: u.id,
    access_hash: u.accessHash,
    first_name: u.firstName,
    ...(u.lastName ? { last_name: u.lastName } : {}),
    ...(self ? { phone: u.phone } : {}),
    status: { _: 'userStatusRecently', by_me: false },
  };
}

export const usersMethods: MethodTable = {
  'users.getUsers': (ctx, params) => {
    const me = requireUser(ctx);
    const out: TlObject[] = [];
    for (const input of vec(params, 'id')) {
      if (typeof input !== 'object' || input === null || Array.isArray(input) || Buffer.isBuffer(input)) continue;
      if (input._ === 'inputUserSelf') {
        out.push(userObject(me, true));
      } else if (input._ === 'inputUser') {
        const u = ctx.state.users.get(long(input, 'user_id'));
        // Unknown users, or a wrong access_hash, are silently left out, as Telegram does.
        if (u && u.accessHash === long(input, 'access_hash')) out.push(userObject(u, u.id === me.id));
      }
    }
    return out;
  },
};
