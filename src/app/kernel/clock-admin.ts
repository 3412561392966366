import { DomainError, invalid } from '../../domain/errors.ts';
import { dayOf } from '../../domain/time/calendar.ts';
import { ControllableClock, ManualClock } from '../../domain/time/clock.ts';
import { inTransaction, type AppContext } from '../context.ts';

/**
 * Setting the deployment's clock (../SPEC "Clock": during a simulation an admin API sets its
 * time). Only a controllable clock can be set: the server runs one; a deployment on the plain
 * system clock refuses. Tests run on a ManualClock, which can jump but never runs (speed 0).
 */
export interface ClockView {
  now: number;
  /** The instant in ISO 8601 (UTC). */
  iso: string;
  /** The calendar day in the deployment's time zone. */
  day: string;
  timeZone: string;
  /** Simulated ms per real ms: 1 = real time, 0 = stopped. */
  speed: number;
  controllable: boolean;
}

export function describeClock(ctx: AppContext): ClockView {
  const clock = ctx.clock;
  const now = clock.now();
  const speed =
    clock instanceof ControllableClock ? clock.describe().speed : clock instanceof ManualClock ? 0 : 1;
  return {
    now,
    iso: new Date(now).toISOString(),
    day: dayOf(now, ctx.config.timeZone),
    timeZone: ctx.config.timeZone,
    speed,
    controllable: clock instanceof ControllableClock || clock instanceof ManualClock,
  };
}

export interface SetClockInput {
  /** Epoch ms, or an ISO 8601 string with an offset (`2022-04-13T10:00:00+08:00`). */
  now: number | string;
  speed?: number;
}

/** Parses the instant; a string must parse as a date, a number must be finite. */
export function parseInstant(value: number | string, field = 'now'): number {
  const instant = typeof value === 'number' ? value : Date.parse(value);
  if (!Number.isFinite(instant)) {
    throw invalid(field, 'not an instant: give epoch milliseconds or an ISO 8601 date-time', value);
  }
  return instant;
}

/** Sets the clock and records `clock.set` (with the instant before and after) for everyone at city level. */
export async function setClock(
  ctx: AppContext,
  input: SetClockInput,
  actor: { userId: number | null; username: string },
): Promise<ClockView> {
  const instant = parseInstant(input.now);
  if (input.speed !== undefined && !(input.speed >= 0 && Number.isFinite(input.speed))) {
    throw invalid('speed', 'must be zero or a positive number', input.speed);
  }
  const clock = ctx.clock;
  const before = clock.now();
  if (clock instanceof ControllableClock) {
    clock.set(instant, input.speed);
  } else if (clock instanceof ManualClock) {
    if (input.speed !== undefined && input.speed !== 0) {
      throw new DomainError('conflict', 'this clock only moves when set (speed 0)');
    }
    clock.set(instant);
  } else {
    throw new DomainError('conflict', 'this deployment runs on the system clock, which cannot be set');
  }
  const view = describeClock(ctx);
  const city = ctx.regions.city();
  await inTransaction(ctx, async (uow) => {
    uow.publish({
      type: 'clock.set',
      occurredAt: uow.now,
      regionIds: city ? [city.id] : [],
      payload: { before, now: view.now, speed: view.speed, by: actor },
    });
  });
  return view;
}
