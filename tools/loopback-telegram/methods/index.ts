import { accountMethods, recoveryMethods } from './account';
import { authorizationMethods } from './authorization';
import { authMethods } from './auth';
import { dcMethods } from './dc';
import { helpMethods, updatesMethods } from './help';
import { secureMethods } from './secure';
import { sessionMethods } from './sessions';
import type { MethodTable } from './types';
import { uploadMethods } from './upload';
import { usersMethods } from './users';
import { verifyMethods } from './verify';

/** Every API method the loopback server implements; others answer 400 METHOD_NOT_IMPLEMENTED. */
export const methods: MethodTable = {
  ...helpMethods,
  ...updatesMethods,
  ...authMethods,
  ...dcMethods,
  ...accountMethods,
  ...recoveryMethods,
  ...secureMethods,
  ...uploadMethods,
  ...verifyMethods,
  ...usersMethods,
  ...authorizationMethods,
  ...sessionMethods,
};
