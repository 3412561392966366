import { describe, expect, it } from 'vitest';
import { firstDutyOrder, nextDutyOrder } from '../../src/domain/compliance/rhythm.ts';
import { complianceAt } from '../../src/domain/compliance/state.ts';
import { atLocalTime } from '../../src/domain/time/calendar.ts';

/** The duty chain's arithmetic, without a database. */
const TZ = 'Asia/Shanghai';
const at = (day: string, h = 0) => atLocalTime(day, h, 0, TZ);

describe('duty rhythms', () => {
  it('every N hours from the duty start, then from each test', () => {
    const rhythm = { kind: 'interval', hours: 48 } as const;
    expect(firstDutyOrder(rhythm, at('2022-04-13', 10), TZ)).toEqual({
      notBefore: at('2022-04-13', 10),
      dueAt: at('2022-04-15', 10),
      key: 'i',
    });
    expect(nextDutyOrder(rhythm, 'i', at('2022-04-14', 9), TZ)).toEqual({
      notBefore: at('2022-04-14', 9) + 1,
      dueAt: at('2022-04-16', 9),
      key: 'i',
    });
  });

  it('twice a day: the second round opens 6 h after the first test; the last opens tomorrow', () => {
    const rhythm = { kind: 'per_day', times: 2, minHoursApart: 6 } as const;
    expect(firstDutyOrder(rhythm, at('2022-04-13', 10), TZ)).toEqual({
      notBefore: at('2022-04-13'),
      dueAt: at('2022-04-14'),
      key: '2022-04-13:1',
    });
    expect(nextDutyOrder(rhythm, '2022-04-13:1', at('2022-04-13', 8), TZ)).toEqual({
      notBefore: at('2022-04-13', 14),
      dueAt: at('2022-04-14'),
      key: '2022-04-13:2',
    });
    expect(nextDutyOrder(rhythm, '2022-04-13:2', at('2022-04-13', 15), TZ)).toEqual({
      notBefore: at('2022-04-14'),
      dueAt: at('2022-04-15'),
      key: '2022-04-14:1',
    });
    // A late sample answering yesterday's round starts nothing: today's own round carries on.
    expect(nextDutyOrder(rhythm, '2022-04-13:2', at('2022-04-14', 9), TZ)).toBeNull();
  });

  it('current, due today, overdue', () => {
    const open = [{ notBefore: at('2022-04-13'), dueAt: at('2022-04-14') }];
    expect(complianceAt(open, at('2022-04-12', 12), 0, TZ).state).toBe('current');
    expect(complianceAt(open, at('2022-04-13', 12), 0, TZ).state).toBe('due');
    expect(complianceAt(open, at('2022-04-14') + 1, 0, TZ)).toMatchObject({
      state: 'overdue',
      overdueSince: at('2022-04-14'),
    });
    expect(complianceAt(open, at('2022-04-14') + 1, 2, TZ).state).toBe('due');
  });
});
