import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../src/app/context.ts';
import { applyAlertActions } from '../../src/app/kernel/alerts.ts';
import type { AlertAction } from '../../src/domain/kernel/alerts.ts';
import { openAlertsOf } from '../../src/store/command/open-alerts.ts';
import { FIXTURE, loadFixture } from '../support/fixture.ts';
import { openTestContext, testDialects, type TestContext } from '../support/harness.ts';

/**
 * The monitoring clock and rules repeat their reads all day. A rule reconciles its own open
 * alerts at every event and tick: in an outbreak most open alerts belong to one noisy rule
 * (missed quarantine tests), and the others' reads must not walk them. The overdue sweep looks
 * for the few orders newly past due among many already reported.
 */
describe.each(testDialects())('the monitoring reads on %s', (dialect) => {
  let ctx: TestContext;
  const open = (rule: string, id: number): AlertAction => ({
    kind: 'open',
    rule,
    level: 'warning',
    subject: { type: 'facility', id: String(id) },
    regionIds: [FIXTURE.streetA1],
    details: { id },
  });

  beforeAll(async () => {
    ctx = await openTestContext(dialect);
    await loadFixture(ctx);
    const noisy = Array.from({ length: 2000 }, (_, i) => open('tracing.quarantine_test.missed', i));
    await inTransaction(ctx, (uow) =>
      applyAlertActions(ctx, uow, [
        ...noisy,
        open('command.facility_over_90', 7),
        open('command.facility_over_90', 8),
      ]),
    );
    await inTransaction(ctx, (uow) =>
      applyAlertActions(ctx, uow, [
        {
          kind: 'resolve',
          rule: 'command.facility_over_90',
          subject: { type: 'facility', id: '8' },
          resolution: 'beds freed',
        },
      ]),
    );
  }, 120_000);
  afterAll(async () => {
    await ctx.close();
  });

  it('reads only the unresolved alerts of the rule, with their details', async () => {
    const alerts = await openAlertsOf(ctx.store.db, 'command.facility_over_90');
    expect([...alerts.keys()]).toEqual(['7']);
    expect(JSON.parse(alerts.get('7')!)).toEqual({ id: 7 });
    expect((await openAlertsOf(ctx.store.db, 'tracing.quarantine_test.missed')).size).toBe(2000);
  });

  it.runIf(dialect === 'sqlite')(
    'goes straight to the rule rather than through every open alert',
    async () => {
      await sql`analyze`.execute(ctx.store.db);
      const plan = await sql<{ detail: string }>`explain query plan
      select subject_id, details from alerts where rule = 'command.facility_over_90' and resolved_at is null`.execute(
        ctx.store.db,
      );
      expect(plan.rows.map((r) => r.detail).join('\n')).toContain('alerts_rule_resolved_at_idx');
    },
  );
});
