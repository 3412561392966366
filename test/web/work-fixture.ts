import crypto from 'node:crypto';
import { encodePersonCode } from '../../src/app/access/person-code.ts';
import { issueToken } from '../../src/app/access/tokens.ts';
import { createUser, principalOf } from '../../src/app/access/users.ts';
import { inTransaction } from '../../src/app/context.ts';
import { proposeStepDowns } from '../../src/app/zones/proposals.ts';
import type { RegionNode } from '../../src/app/registry/region-directory.ts';
import { addDays, atLocalTime, dayOf } from '../../src/domain/time/calendar.ts';
import type { TestContext } from '../support/harness.ts';

export const LAB_USER = { username: 'lab-duty', password: 'lab-duty-2022' };
export const TZ = 'Asia/Shanghai';

export interface WorkFacts {
  district: RegionNode;
  caseDay: string;
  /** The compound sealed by the case, whose step-down waits for approval. */
  proposalId: number;
  labId: number;
  tubeCode: string;
  compoundName: string;
  /** People of the case's committee behind on a daily screening duty (应检未检), per the API. */
  overduePersonIds: number[];
}

/** A resident of the district who lives in a building of a compound (so the case seals a compound). */
async function residentInCompound(ctx: TestContext, districtId: number, skip: number) {
  return ctx.store.db
    .selectFrom('people as p')
    .innerJoin('places as b', 'b.id', 'p.place_id')
    .innerJoin('places as c', 'c.id', 'b.parent_place_id')
    .select(['p.id', 'p.ref', 'p.street_id', 'p.committee_id', 'c.name as compound'])
    .where('p.district_id', '=', districtId)
    .orderBy('p.id')
    .offset(skip)
    .limit(1)
    .executeTakeFirstOrThrow();
}

/**
 * On the tiny synthetic city (city-fixture.ts), a week of work made through the capabilities'
 * own services and API: a positive in the district on the test day (a case found in the
 * community, its compound sealed, its transfer order), then eight days later the step-down that
 * waits for approval, and a screening tube at a lab waiting for its result. Returns what the
 * browser steps look for.
 */
export async function loadWorkWeek(
  ctx: TestContext,
  baseUrl: string,
  district: RegionNode,
): Promise<WorkFacts> {
  const start = ctx.clock.now();
  const caseDay = dayOf(start, TZ);
  const person = await residentInCompound(ctx, district.id, 0);
  await inTransaction(ctx, async (uow) => {
    uow.publish({
      type: 'result.positive',
      occurredAt: uow.now,
      regionIds: [Number(person.committee_id ?? person.street_id)],
      personId: Number(person.id),
      payload: {
        personId: Number(person.id),
        tubeCode: 'WEEK-POS-1',
        roundId: 'R-week',
        sampledAt: start - 3 * 3_600_000,
        resultedAt: start,
        ct: 23.5,
        regionIds: [Number(person.committee_id ?? person.street_id)],
      },
    });
  });
  await ctx.events.drain();

  // Eight quiet days later the rules propose the compound's step-down.
  ctx.clock.set(atLocalTime(addDays(caseDay, 8), 9, 0, TZ));
  await proposeStepDowns(ctx);
  const proposal = await ctx.store.db
    .selectFrom('zone_proposals')
    .select('id')
    .where('district_id', '=', district.id)
    .where('status', '=', 'pending')
    .executeTakeFirstOrThrow();

  // A tube sampled this morning, carried to the district's lab and received there.
  const site = await ctx.store.db
    .selectFrom('sampling_sites')
    .select(['id', 'organisation_id'])
    .where('district_id', '=', district.id)
    .orderBy('id')
    .executeTakeFirstOrThrow();
  const lab = await ctx.store.db
    .selectFrom('organisations')
    .select('id')
    .where('kind', '=', 'lab')
    .orderBy('id')
    .executeTakeFirstOrThrow();
  const transport = await ctx.store.db
    .selectFrom('organisations')
    .select('id')
    .where('kind', '=', 'transport')
    .orderBy('id')
    .executeTakeFirstOrThrow();
  const users = {
    admin: await createUser(ctx, {
      username: 'week-admin',
      password: 'week-admin-2022',
      role: 'admin',
      regionId: ctx.regions.city()!.id,
    }),
    sampler: await createUser(ctx, {
      username: 'week-sampler',
      password: 'week-sampler-2022',
      role: 'sampler',
      organisationId: Number(site.organisation_id),
    }),
    courier: await createUser(ctx, {
      username: 'week-courier',
      password: 'week-courier-2022',
      role: 'transfer',
      organisationId: Number(transport.id),
    }),
    lab: await createUser(ctx, { ...LAB_USER, role: 'lab', organisationId: Number(lab.id) }),
  };
  const call = async (who: keyof typeof users, method: string, path: string, body: unknown) => {
    const token = issueToken(ctx.secrets.tokenKey, principalOf(users[who]), ctx.wallClock.now());
    const res = await fetch(`${baseUrl}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<{ id?: number }>;
  };
  const now = ctx.clock.now();
  const round = await call('admin', 'POST', '/screening/rounds', {
    name: '本周核酸筛查',
    startsAt: now - 3_600_000,
    endsAt: now + 12 * 3_600_000,
    regionIds: [district.id],
  });
  const sampled = await residentInCompound(ctx, district.id, 40);
  const tubeCode = 'WEEK-T-1';
  await call('sampler', 'POST', '/scans/batch', {
    roundId: round.id,
    siteId: site.id,
    scans: [
      {
        clientId: crypto.randomUUID(),
        personCode: encodePersonCode(ctx.secrets.codeKey, {
          ref: sampled.ref,
          districtId: district.id,
          expiresAt: now + 86_400_000,
        }),
        tubeCode,
        collectedAt: now,
        tubeCapacity: 1,
      },
    ],
  });
  await call('sampler', 'POST', '/screening/boxes', {
    barcode: 'WEEK-BOX-1',
    siteId: site.id,
    labId: lab.id,
    tubeCodes: [tubeCode],
    location: '采样点',
  });
  await call('courier', 'POST', '/screening/boxes/WEEK-BOX-1/dispatch', { courierName: '王师傅' });
  await call('lab', 'POST', '/screening/boxes/WEEK-BOX-1/receive', { location: '实验室' });
  // The case's committee owes a daily test since two days ago: nobody took yesterday's (应检未检).
  await call('admin', 'POST', '/compliance/duties', {
    kind: 'area',
    regionId: Number(person.committee_id),
    rhythm: { kind: 'interval', hours: 24 },
    startsAt: now - 48 * 3_600_000,
    reason: '封控小区所在居委每日核酸',
  });
  await ctx.events.drain();
  const overdue = (await call(
    'admin',
    'GET',
    '/compliance/overdue?groupBy=building&limit=200',
    undefined,
  )) as {
    groups?: { people: { personId: number }[] }[];
  };
  return {
    district,
    caseDay,
    proposalId: Number(proposal.id),
    labId: Number(lab.id),
    tubeCode,
    compoundName: person.compound,
    overduePersonIds: (overdue.groups ?? []).flatMap((g) => g.people.map((p) => p.personId)),
  };
}
