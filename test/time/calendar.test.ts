import { describe, expect, it } from 'vitest';
import {
  addDays,
  dayNumber,
  dayOf,
  daysBetween,
  endOfDay,
  exactZoneOffsetMs,
  startOfDay,
  zoneOffsetMs,
} from '../../src/domain/time/calendar.ts';
import { ControllableClock, ManualClock } from '../../src/domain/time/clock.ts';

const SH = 'Asia/Shanghai';

describe('calendar days in Asia/Shanghai while the machine runs in UTC', () => {
  it('the machine zone does not matter', () => {
    // Tests run with TZ=UTC in CI; the answers below must not depend on it.
    expect(new Date(0).getTimezoneOffset()).toBeTypeOf('number');
  });

  it('an instant after 16:00 UTC is already the next day in Shanghai', () => {
    expect(dayOf(Date.parse('2022-04-12T15:59:59Z'), SH)).toBe('2022-04-12');
    expect(dayOf(Date.parse('2022-04-12T16:00:00Z'), SH)).toBe('2022-04-13');
    expect(dayOf(Date.parse('2022-04-12T16:00:00Z'), 'UTC')).toBe('2022-04-12');
  });

  it('a day starts at local midnight and ends at the next', () => {
    expect(new Date(startOfDay('2022-04-13', SH)).toISOString()).toBe('2022-04-12T16:00:00.000Z');
    expect(new Date(endOfDay('2022-04-13', SH)).toISOString()).toBe('2022-04-13T16:00:00.000Z');
  });

  it('counts whole calendar days, with day 1 the first day', () => {
    expect(addDays('2022-03-31', 1)).toBe('2022-04-01');
    expect(addDays('2022-04-01', -1)).toBe('2022-03-31');
    expect(daysBetween('2022-04-01', '2022-04-14')).toBe(13);
    expect(dayNumber('2022-04-01', '2022-04-01')).toBe(1);
    expect(dayNumber('2022-04-01', '2022-04-07')).toBe(7);
  });

  it('a sample at 23:30 and one at 00:30 local fall on different days, 1 hour apart', () => {
    const late = Date.parse('2022-04-13T15:30:00Z');
    const early = Date.parse('2022-04-13T16:30:00Z');
    expect(daysBetween(dayOf(late, SH), dayOf(early, SH))).toBe(1);
  });

  it('handles a zone with daylight saving (New York, 2022-03-13 is 23 hours long)', () => {
    const ny = 'America/New_York';
    expect(endOfDay('2022-03-13', ny) - startOfDay('2022-03-13', ny)).toBe(23 * 3600_000);
    expect(dayOf(startOfDay('2022-03-14', ny), ny)).toBe('2022-03-14');
  });
});

describe('zone offsets kept per hour', () => {
  it.each(['Asia/Shanghai', 'America/New_York', 'Europe/Berlin', 'Australia/Lord_Howe', 'Asia/Kolkata'])(
    'answer as Intl does around every transition of 2022 in %s, every 10 s',
    (zone) => {
      // The day as Intl itself names it.
      const intl = new Intl.DateTimeFormat('en-CA', {
        timeZone: zone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
      });
      const from = Date.parse('2022-01-01T00:00:00Z');
      const to = Date.parse('2023-01-01T00:00:00Z');
      // Every 37 minutes through the year, and every 10 s around each change of offset.
      const instants: number[] = [];
      for (let t = from; t < to; t += 37 * 60_000) instants.push(t);
      for (let t = from; t < to; t += 3_600_000) {
        if (exactZoneOffsetMs(t, zone) !== exactZoneOffsetMs(t + 3_600_000, zone)) {
          for (let s = t - 60_000; s <= t + 3_660_000; s += 10_000) instants.push(s);
        }
      }
      for (const t of instants) {
        expect(zoneOffsetMs(t, zone), new Date(t).toISOString()).toBe(exactZoneOffsetMs(t, zone));
        expect(dayOf(t, zone), new Date(t).toISOString()).toBe(intl.format(new Date(t)));
      }
    },
  );
});

describe('clocks', () => {
  it('a controllable clock jumps and runs at a speed factor', () => {
    const real = new ManualClock(1_000_000);
    const clock = new ControllableClock(real);
    clock.set(Date.parse('2022-03-01T00:00:00Z'), 60);
    real.advance(60_000); // one real minute
    expect(clock.now()).toBe(Date.parse('2022-03-01T01:00:00Z'));
    clock.set(clock.now(), 0);
    real.advance(3_600_000);
    expect(clock.now()).toBe(Date.parse('2022-03-01T01:00:00Z'));
  });
});
