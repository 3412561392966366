import pg from 'pg';

/** Prefixes of the schemas one benchmark run creates for itself and drops when it ends. */
const RUN_SCHEMA = /^bench_(run|seed|ref)_/;

export interface SchemaClaim {
  /** Drops the schema and lets go of it. */
  release(): Promise<void>;
}

/**
 * Claims a schema for this run: a session-level advisory lock, held on a connection of its own
 * for as long as the run lives. A run stopped by Ctrl-C or killed cannot drop its schema (at
 * scale 1, tens of GB of the server's disk), but its connection closes and the lock with it;
 * each new claim first drops the run schemas nobody holds. Works across machines sharing one
 * server, where process ids would not.
 */
export async function claimRunSchema(url: string, schema: string): Promise<SchemaClaim> {
  if (!RUN_SCHEMA.test(schema)) throw new Error(`not a run schema: ${schema}`);
  const owner = new pg.Client({ connectionString: url });
  await owner.connect();
  try {
    await owner.query('select pg_advisory_lock(hashtextextended($1, 0))', [schema]);
    await dropUnclaimed(owner, schema);
  } catch (error) {
    await owner.end();
    throw error;
  }
  return {
    async release() {
      try {
        await owner.query(`drop schema if exists "${schema}" cascade`);
      } finally {
        await owner.end();
      }
    },
  };
}

async function dropUnclaimed(owner: pg.Client, own: string): Promise<void> {
  const { rows } = await owner.query<{ name: string }>(
    `select nspname as name from pg_namespace where nspname ~ '^bench_(run|seed|ref)_'`,
  );
  for (const { name } of rows) {
    if (name === own) continue;
    const free = await owner.query<{ got: boolean }>(
      'select pg_try_advisory_lock(hashtextextended($1, 0)) as got',
      [name],
    );
    if (!free.rows[0]?.got) continue;
    try {
      await owner.query(`drop schema if exists "${name}" cascade`);
      console.error(`dropped schema ${name}, left by a run that was stopped`);
    } finally {
      await owner.query('select pg_advisory_unlock(hashtextextended($1, 0))', [name]);
    }
  }
}
