import type { Role } from './roles.ts';
import type { Scope } from './scope.ts';

/** Who is asking: the authenticated user with their role and scope. */
export interface Principal {
  userId: number;
  username: string;
  role: Role;
  scope: Scope;
}
