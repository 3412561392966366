import type { Principal } from '../../domain/access/principal.ts';

/** Who made a change, recorded on every transition: a user, or the system (a consumer, the clock). */
export interface Actor {
  userId: number | null;
  name: string;
}

export function actorOf(principal: Principal): Actor {
  return { userId: principal.userId, name: principal.username };
}

export const SYSTEM_ACTOR: Actor = { userId: null, name: 'system' };
