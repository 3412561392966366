import { createContext, closeContext } from '../app/bootstrap.ts';
import type { AppContext } from '../app/context.ts';
import { loadConfig } from '../config/config.ts';

/** Opens the deployment's database (migrated) for one CLI command and closes it afterwards. */
export async function withCliContext<T>(work: (ctx: AppContext) => Promise<T>): Promise<T> {
  const ctx = await createContext({ config: loadConfig() });
  try {
    return await work(ctx);
  } finally {
    await closeContext(ctx);
  }
}
