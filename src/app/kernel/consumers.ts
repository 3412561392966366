import type { AppContext } from '../context.ts';

/**
 * Registers every in-process event consumer (rule runner, capability reactions) on the
 * dispatcher. Each capability adds its own registration here.
 */
export function registerKernelConsumers(ctx: AppContext): void {
  void ctx;
}
