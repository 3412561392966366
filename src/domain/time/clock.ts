/**
 * The one source of "now" (../SPEC "Time"): every rule and service reads time from a Clock that
 * is passed in, never from Date.now(), so tests and simulations can set it.
 */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export interface ClockState {
  /** Simulated instant at the moment the state was set. */
  anchorSimulated: number;
  /** Wall-clock instant at that moment. */
  anchorReal: number;
  /** Simulated ms per real ms: 1 = real time, 60 = an hour a minute, 0 = frozen. */
  speed: number;
}

/**
 * A clock an admin (or the simulator) can set: follows real time by default; can jump to an
 * instant, run at a speed factor, or stand still. Monotonic: never goes back unless set back.
 */
export class ControllableClock implements Clock {
  private state: ClockState;

  constructor(private readonly realClock: Clock = systemClock) {
    const now = realClock.now();
    this.state = { anchorSimulated: now, anchorReal: now, speed: 1 };
  }

  now(): number {
    const { anchorSimulated, anchorReal, speed } = this.state;
    return Math.floor(anchorSimulated + (this.realClock.now() - anchorReal) * speed);
  }

  set(instant: number, speed = this.state.speed): void {
    if (!Number.isFinite(instant)) throw new RangeError('clock time must be a finite instant');
    if (!(speed >= 0)) throw new RangeError('clock speed must be zero or positive');
    this.state = { anchorSimulated: instant, anchorReal: this.realClock.now(), speed };
  }

  advance(ms: number): void {
    this.set(this.now() + ms);
  }

  describe(): { now: number; speed: number; followsRealTime: boolean } {
    const now = this.now();
    return {
      now,
      speed: this.state.speed,
      followsRealTime: this.state.speed === 1 && Math.abs(now - this.realClock.now()) < 1000,
    };
  }
}

/** A clock that only moves when told to (tests). */
export class ManualClock implements Clock {
  constructor(private instant: number) {}
  now(): number {
    return this.instant;
  }
  set(instant: number): void {
    this.instant = instant;
  }
  advance(ms: number): void {
    this.instant += ms;
  }
}
