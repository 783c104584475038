import { accountMethods } from './account';
import { authMethods } from './auth';
import { helpMethods, updatesMethods } from './help';
import type { MethodTable } from './types';
import { usersMethods } from './users';

/** Every API method the loopback server implements; others answer 400 METHOD_NOT_IMPLEMENTED. */
export const methods: MethodTable = {
  ...helpMethods,
  ...updatesMethods,
  ...authMethods,
  ...accountMethods,
  ...usersMethods,
};
