import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createContext, closeContext } from '../../src/app/bootstrap.ts';
import type { AppContext } from '../../src/app/context.ts';
import { secretsFromMaster } from '../../src/app/secrets.ts';
import type { CordonConfig } from '../../src/config/config.ts';
import { ManualClock } from '../../src/domain/time/clock.ts';
import { dropPgSchema, type DialectName } from '../../src/store/database.ts';

/**
 * The databases every repository test runs on: SQLite always, PostgreSQL whenever
 * CORDON_TEST_PG_URL is set. In CI a missing PostgreSQL is a failure, not a skip.
 */
export function testDialects(): DialectName[] {
  const pgUrl = process.env.CORDON_TEST_PG_URL;
  if (!pgUrl && process.env.CI === 'true') {
    throw new Error('CI=true but CORDON_TEST_PG_URL is not set: the PostgreSQL half of the suite cannot run');
  }
  return pgUrl ? ['sqlite', 'postgres'] : ['sqlite'];
}

export interface TestContext extends AppContext {
  clock: ManualClock;
  dataDir: string;
  close(): Promise<void>;
}

/** 2022-04-13 10:00 Asia/Shanghai: the peak day of the wave, a fixed and readable instant. */
export const DEFAULT_TEST_NOW = Date.parse('2022-04-13T02:00:00Z');

/** The configuration every test runs under: Shanghai's time zone, the May 2022 rule set, loopback. */
export function testConfig(dataDir: string, databaseUrl?: string): CordonConfig {
  return {
    dataDir,
    databaseUrl,
    timeZone: 'Asia/Shanghai',
    ruleSet: 'shanghai-2022-05-16',
    host: '127.0.0.1',
    port: 0,
  };
}

/**
 * A fresh, migrated database of the given dialect in its own file or PostgreSQL schema, so test
 * files never collide.
 */
export async function openTestContext(
  dialect: DialectName,
  options: { now?: number; config?: Partial<CordonConfig> } = {},
): Promise<TestContext> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cordon-test-'));
  const pgUrl = process.env.CORDON_TEST_PG_URL;
  const schema = `t_${crypto.randomBytes(6).toString('hex')}`;
  const config: CordonConfig = {
    ...testConfig(dataDir, dialect === 'postgres' ? pgUrl : undefined),
    ...options.config,
  };
  const clock = new ManualClock(options.now ?? DEFAULT_TEST_NOW);
  const ctx = await createContext({
    config,
    clock,
    // One clock in tests: tokens signed with ctx.clock.now() stay valid however a test moves it.
    wallClock: clock,
    secrets: secretsFromMaster('test-secret'),
    storeOptions: dialect === 'postgres' ? { pgSchema: schema, pgPoolSize: 4 } : {},
  });
  return Object.assign(ctx, {
    clock,
    dataDir,
    async close() {
      await closeContext(ctx);
      if (dialect === 'postgres' && pgUrl) await dropPgSchema(pgUrl, schema);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  });
}
