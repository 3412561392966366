import crypto from 'node:crypto';
import type { Role } from '../../domain/access/roles.ts';
import type { AppContext } from '../context.ts';
import { verifyPassword } from './passwords.ts';
import { createUser, findUser } from './users.ts';

export interface DemoCredential {
  username: string;
  /** Null when an operator has changed the password since: it is no longer ours to print. */
  password: string | null;
  role: Role;
  regionName: string;
}

/**
 * The demo password is derived from the deployment's secret, so every `npm start` can print it
 * again without storing it anywhere in clear; anyone who holds the secret can forge tokens
 * anyway, so this reveals nothing new.
 */
function demoPassword(ctx: AppContext, username: string): string {
  return crypto
    .createHmac('sha256', ctx.secrets.tokenKey)
    .update(`cordon:demo-password:${username}`)
    .digest('base64url')
    .slice(0, 16);
}

/**
 * Creates, if absent, a demo admin scoped to the city and a district commander for the first
 * district (by code), and returns their credentials for `npm start` to print. Does nothing on a
 * database without a city yet.
 */
export async function ensureDemoUsers(ctx: AppContext): Promise<DemoCredential[]> {
  const city = ctx.regions.city();
  if (!city) return [];
  const firstDistrict = await ctx.store.db
    .selectFrom('regions')
    .select(['id', 'name'])
    .where('level', '=', 'district')
    .orderBy('code')
    .limit(1)
    .executeTakeFirst();
  const wanted: { username: string; role: Role; regionId: number; regionName: string }[] = [
    { username: 'admin', role: 'admin', regionId: city.id, regionName: city.name },
  ];
  if (firstDistrict) {
    wanted.push({
      username: 'district',
      role: 'district_command',
      regionId: Number(firstDistrict.id),
      regionName: firstDistrict.name,
    });
  }
  const out: DemoCredential[] = [];
  for (const w of wanted) {
    const password = demoPassword(ctx, w.username);
    const existing = await findUser(ctx, w.username);
    if (!existing) {
      await createUser(ctx, {
        username: w.username,
        password,
        role: w.role,
        regionId: w.regionId,
        displayName: `demo ${w.role}`,
      });
      out.push({ username: w.username, password, role: w.role, regionName: w.regionName });
      continue;
    }
    const unchanged = await verifyPassword(password, existing.password_hash);
    out.push({
      username: w.username,
      password: unchanged ? password : null,
      role: existing.role as Role,
      regionName: w.regionName,
    });
  }
  return out;
}
