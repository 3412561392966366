import type { AppContext } from '../../app/context.ts';
import { activateRuleSet, getActiveRuleSet, getRuleSet, listRuleSets } from '../../app/kernel/rule-sets.ts';
import { DomainError } from '../../domain/errors.ts';
import { ruleBundleSchema } from '../../domain/rules/schema.ts';
import { requirePrincipal, type CordonApp } from '../server.ts';
import { activateRuleSetBody, ruleSetListResponse, ruleSetParams } from './schema.ts';

/** Rule sets: anyone signed in may read them (the numbers behind every decision); only an admin switches. */
export async function ruleSetRoutes(api: CordonApp, ctx: AppContext): Promise<void> {
  api.get(
    '/rule-sets',
    {
      schema: {
        tags: ['rules'],
        summary: 'Shipped rule sets and operator copies',
        response: { 200: ruleSetListResponse },
      },
    },
    async (request) => {
      requirePrincipal(request);
      return { items: await listRuleSets(ctx) };
    },
  );

  api.get(
    '/rule-sets/active',
    {
      schema: {
        tags: ['rules'],
        summary: 'The active rule set, every section',
        response: { 200: ruleBundleSchema },
      },
    },
    async (request) => {
      requirePrincipal(request);
      return getActiveRuleSet(ctx);
    },
  );

  api.put(
    '/rule-sets/active',
    {
      schema: {
        tags: ['rules'],
        summary: 'Switch the deployment to another rule set (admin)',
        body: activateRuleSetBody,
        response: { 200: ruleBundleSchema },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      if (principal.role !== 'admin') {
        throw new DomainError('forbidden', 'only an admin switches the rule set');
      }
      return activateRuleSet(ctx, request.body.name, {
        userId: principal.userId,
        username: principal.username,
      });
    },
  );

  api.get(
    '/rule-sets/:name',
    {
      schema: {
        tags: ['rules'],
        summary: 'One rule set by name',
        params: ruleSetParams,
        response: { 200: ruleBundleSchema },
      },
    },
    async (request) => {
      requirePrincipal(request);
      return getRuleSet(ctx.store.db, request.params.name);
    },
  );
}
