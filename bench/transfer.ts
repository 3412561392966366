/**
 * `npm run bench -- transfer --scale S --seed N [--vehicle 30] [--convoy 10]`: the peak day's positives taken
 * from confirmation to a bed (应转尽转、日清日结), on the city in the state of 13 April 2022.
 *
 * state    = bench/lib/peak-state.ts, written to the tables directly (untimed); the day's
 *            27,605 × S positives then go through the case intake service (the code the
 *            `result.positive` consumer runs), timed apart as `intakePerSec`;
 * value    = orders per second through to admission: the allocator's proposals confirmed (beds
 *            reserved by the database), vehicles dispatched, pick-up, arrival and admission
 *            with a bed and an isolation episode — through the same services the API calls, as
 *            the users entitled to each step: vehicles of `--vehicle` people, sent and reported
 *            `--convoy` vehicles of a district's team per request (a fleet dispatch, a convoy's
 *            pick-up and arrival reported together), each facility admitting its share of a
 *            convoy at once; one request = one transaction;
 * baseline = the same run's placement of the same orders on the same free beds by the domain
 *            allocator alone, in memory (placeAll), in orders per second.
 */
import fs from 'node:fs';
import { SYSTEM_ACTOR } from '../src/app/cases/actor.ts';
import { recordPositive } from '../src/app/cases/intake.ts';
import { inTransaction } from '../src/app/context.ts';
import type { Principal } from '../src/domain/access/principal.ts';
import { placeAll, type BedPool } from '../src/domain/cases/allocator.ts';
import type { TransferNeed } from '../src/domain/cases/risk.ts';
import { atLocalTime } from '../src/domain/time/calendar.ts';
import { ManualClock } from '../src/domain/time/clock.ts';
import { loadBedPools } from '../src/store/cases/beds.ts';
import { findOrders, type OrderRow } from '../src/store/cases/orders.ts';
import { benchArgs } from './lib/args.ts';
import { openBenchCity } from './lib/city.ts';
import { buildPeakCaseState, PEAK_DAY } from './lib/peak-state.ts';
import { printResult } from './lib/result.ts';
import { chunk, driveToAdmission, timed } from './transfer/drive.ts';

const TZ = 'Asia/Shanghai';

/** Bytes this process has written (Linux /proc/self/io `wchar`); null elsewhere. */
function bytesWritten(): number | null {
  try {
    const match = /^wchar: (\d+)$/m.exec(fs.readFileSync('/proc/self/io', 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

export async function main(argv: string[]): Promise<void> {
  const { scale, seed, options } = benchArgs(
    argv,
    { vehicle: { type: 'string', default: '30' }, convoy: { type: 'string', default: '10' } },
    { scale: '0.1', seed: '1' },
  );
  const perVehicle = Number(options.vehicle);
  const perConvoy = Number(options.convoy);
  if (!Number.isInteger(perVehicle) || perVehicle < 1) {
    throw new Error('--vehicle: people per vehicle, a whole number from 1');
  }
  if (!Number.isInteger(perConvoy) || perConvoy < 1) {
    throw new Error('--convoy: vehicles per request, a whole number from 1');
  }
  const clock = new ManualClock(atLocalTime(PEAK_DAY, 10, 0, TZ));
  const city = await openBenchCity({ name: 'transfer', scale, seed, clock });
  const ctx = city.ctx;
  // Events are written to the outbox in each step's transaction, as always; delivering them to
  // the other capabilities' consumers (zones sealing buildings, tracing listing contacts…) is
  // their work, after commit, and would share this process's one SQLite connection: hold it.
  ctx.events.wake = () => undefined;
  try {
    const state = await buildPeakCaseState(ctx, { scale, seed });
    const command: Principal = {
      userId: 1,
      username: 'bench-command',
      role: 'city_command',
      scope: { kind: 'region', regionId: ctx.regions.city()!.id },
    };

    // Intake: the day's positives become cases with waiting orders (the consumer's code path).
    const [intake, intakeSeconds] = await timed(async () => {
      const caseIds: number[] = [];
      for (const batch of chunk(state.today, 500)) {
        await inTransaction(ctx, async (uow) => {
          for (const p of batch) {
            const result = await recordPositive(
              ctx,
              uow,
              {
                personId: p.personId,
                source: 'screening',
                sourceRef: p.tubeCode,
                roundId: 'peak',
                ct: 26,
                sampledAt: p.sampledAt,
                reportedAt: p.reportedAt,
                districtHint: p.districtId,
              },
              SYSTEM_ACTOR,
            );
            if (result.created) caseIds.push(result.caseRow.id);
          }
        });
      }
      return caseIds;
    });
    const waiting: OrderRow[] = [];
    for (const ids of chunk(intake, 500)) {
      waiting.push(
        ...(await ctx.store.db
          .selectFrom('transfer_orders')
          .selectAll()
          .where('case_id', 'in', ids)
          .where('status', '=', 'waiting')
          .execute()),
      );
    }
    waiting.sort((a, b) => a.found_at - b.found_at || a.id - b.id);
    const split = new Map<string, number>();
    for (const ids of chunk(intake, 500)) {
      for (const c of await ctx.store.db
        .selectFrom('cases')
        .select('classification')
        .where('id', 'in', ids)
        .execute()) {
        split.set(c.classification, (split.get(c.classification) ?? 0) + 1);
      }
    }

    // Baseline: the same orders on the same free beds, by the domain function alone.
    const pools: BedPool[] = (await loadBedPools(ctx.store.db)).map((p) => ({
      facilityId: p.facilityId,
      facilityKind: p.facilityKind,
      districtId: p.districtId,
      bedKind: p.bedKind,
      admits: p.admits,
      lng: p.lng,
      lat: p.lat,
      free: p.free,
    }));
    const requests = waiting.map((o) => ({
      need: o.need as TransferNeed,
      critical: o.need === 'case_critical',
      districtId: o.district_id,
      lng: o.pickup_lng,
      lat: o.pickup_lat,
    }));
    let rounds = 0;
    const [, baselineSeconds] = await timed(async () => {
      do {
        placeAll(requests, pools);
        rounds++;
      } while (rounds < 50);
    });
    const baseline = (requests.length * rounds) / baselineSeconds;

    const cpuBefore = process.cpuUsage();
    const writtenBefore = bytesWritten();
    const { admitted, seconds, stage } = await driveToAdmission(ctx, clock, command, waiting, {
      perVehicle,
      perConvoy,
    });
    const written = bytesWritten();

    const cpu = process.cpuUsage(cpuBefore);
    const after = await findOrders(
      ctx.store.db,
      waiting.map((o) => o.id),
    );
    const doubleBooked = await ctx.store.db
      .selectFrom('bed_assignments')
      .select(['facility_id', 'bed_kind', 'bed_no'])
      .where('released_at', 'is', null)
      .groupBy(['facility_id', 'bed_kind', 'bed_no'])
      .having((eb) => eb.fn.countAll(), '>', 1)
      .execute();
    const round = (x: number) => Math.round(x * 1000) / 1000;
    printResult({
      bench: 'transfer',
      scale,
      seed,
      database: ctx.store.dialect,
      value: admitted / seconds,
      unit: 'orders/s',
      baseline,
      orders: waiting.length,
      admitted,
      admittedAll: after.every((o) => o.status === 'admitted'),
      seconds: round(seconds),
      /** This process's CPU time in the timed part: on a shared machine, wall time minus waiting. */
      cpuSeconds: round((cpu.user + cpu.system) / 1e6),
      ...Object.fromEntries(Object.entries(stage).map(([k, v]) => [k, round(v)])),
      /**
       * What this process wrote in the timed part (SQLite: the WAL and its checkpoints), in MB:
       * with every commit durable (synchronous = FULL), the disk's share of the wall time.
       */
      writtenMb: written === null || writtenBefore === null ? null : round((written - writtenBefore) / 1e6),
      doubleBookedBeds: doubleBooked.length,
      intakePerSec: Math.round(intake.length / intakeSeconds),
      insideControl: split.get('inside_control') ?? 0,
      community: split.get('community') ?? 0,
      priorCases: state.priorCases,
      priorInBeds: state.priorAdmitted,
      contactsInQuarantine: state.contactsInQuarantine,
      stateSeconds: round(state.seconds),
      fullCityProjectionSeconds: round(27_605 / (admitted / seconds)),
      cityFromCache: city.fromCache,
    });
  } finally {
    await city.close();
  }
}
