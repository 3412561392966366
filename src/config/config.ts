import path from 'node:path';

/** Deployment settings, read once from the environment at the edge and passed inward. */
export interface CordonConfig {
  dataDir: string;
  /** postgres://… when running on PostgreSQL; undefined means the embedded SQLite database. */
  databaseUrl: string | undefined;
  timeZone: string;
  ruleSet: string;
  host: string;
  port: number;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): CordonConfig {
  return {
    dataDir: path.resolve(env.CORDON_DATA_DIR ?? './data'),
    databaseUrl: env.CORDON_DATABASE_URL || undefined,
    timeZone: env.CORDON_TIME_ZONE ?? 'Asia/Shanghai',
    ruleSet: env.CORDON_RULE_SET ?? 'shanghai-2022-05-16',
    host: env.CORDON_HOST ?? '127.0.0.1',
    port: Number(env.CORDON_PORT ?? 8080),
  };
}
