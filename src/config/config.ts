import path from 'node:path';
import { personCodeTtlMs } from '../app/access/person-code.ts';
import { parseRetentionDays } from '../domain/access/retention.ts';

/** Deployment settings, read once from the environment at the edge and passed inward. */
export interface CordonConfig {
  dataDir: string;
  /** postgres://… when running on PostgreSQL; undefined means the embedded SQLite database. */
  databaseUrl: string | undefined;
  timeZone: string;
  ruleSet: string;
  host: string;
  port: number;
  /** How long a resident's person code stays valid (CORDON_PERSON_CODE_TTL_HOURS; 24 h). */
  personCodeTtlMs?: number;
  /** Days of inactivity before `cordon purge` removes personal data (CORDON_RETENTION_DAYS; 90). */
  retentionDays?: number;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): CordonConfig {
  return {
    dataDir: path.resolve(env.CORDON_DATA_DIR ?? './data'),
    databaseUrl: env.CORDON_DATABASE_URL || undefined,
    timeZone: env.CORDON_TIME_ZONE ?? 'Asia/Shanghai',
    ruleSet: env.CORDON_RULE_SET ?? 'shanghai-2022-05-16',
    host: env.CORDON_HOST ?? '127.0.0.1',
    port: Number(env.CORDON_PORT ?? 8080),
    // Checked here, at start, so a bad value stops the server before it answers anyone.
    personCodeTtlMs: personCodeTtlMs(env.CORDON_PERSON_CODE_TTL_HOURS),
    retentionDays: parseRetentionDays(env.CORDON_RETENTION_DAYS),
  };
}
