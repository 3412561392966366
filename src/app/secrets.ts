import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Keys for tokens, person codes and national-id hashes. Kept in the data directory (created on
 * first run, mode 0600) or given by CORDON_SECRET; never in the database, so a database dump
 * alone cannot forge a code or reverse an id hash by brute force.
 */
export interface Secrets {
  /** Signs login tokens. */
  tokenKey: Buffer;
  /** Signs person codes (QR). */
  codeKey: Buffer;
  /** Keys the national-id hash. */
  idHashKey: Buffer;
}

function derive(master: Buffer, purpose: string): Buffer {
  return crypto.createHmac('sha256', master).update(`cordon:${purpose}`).digest();
}

export function secretsFromMaster(master: Buffer | string): Secrets {
  const key = typeof master === 'string' ? Buffer.from(master, 'utf8') : master;
  return { tokenKey: derive(key, 'token'), codeKey: derive(key, 'code'), idHashKey: derive(key, 'id-hash') };
}

export function loadSecrets(dataDir: string, env: NodeJS.ProcessEnv = process.env): Secrets {
  if (env.CORDON_SECRET) return secretsFromMaster(env.CORDON_SECRET);
  const file = path.join(dataDir, 'secret.key');
  fs.mkdirSync(dataDir, { recursive: true });
  if (!fs.existsSync(file)) {
    fs.writeFileSync(file, crypto.randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
  }
  return secretsFromMaster(fs.readFileSync(file, 'utf8').trim());
}
