import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { monitoringRules } from '../../src/app/kernel/monitoring-rules.ts';
import { en } from '../../src/web/i18n/en.ts';
import { zhCN } from '../../src/web/i18n/zh-CN.ts';
import { openTestContext, type TestContext } from '../support/harness.ts';

/** Every monitoring rule any capability registers has a name on the alerts screen, in both languages. */
describe('alert rule names', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await openTestContext('sqlite');
  });
  afterAll(async () => {
    await ctx.close();
  });

  it('names every registered rule in zh-CN and en', () => {
    const names = monitoringRules().map((r) => r.name);
    expect(names.length).toBeGreaterThanOrEqual(13);
    const zh = zhCN as Record<string, string>;
    const english = en as Record<string, string>;
    for (const name of names) {
      expect(zh[`alertRule.${name}`], `zh-CN name of ${name}`).toBeTruthy();
      expect(english[`alertRule.${name}`], `en name of ${name}`).toBeTruthy();
    }
  });
});
