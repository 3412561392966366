import { expect } from 'vitest';
import type { CordonApp } from '../../src/api/server.ts';
import { issueToken } from '../../src/app/access/tokens.ts';
import { authenticate, principalOf } from '../../src/app/access/users.ts';
import type { Principal } from '../../src/domain/access/principal.ts';
import { FIXTURE } from '../support/fixture.ts';
import type { TestContext } from '../support/harness.ts';
import { addFacility, facilityStaff, publishPositive } from '../cases/support.ts';
import {
  codeOf,
  HOUR,
  loadScreeningWorld,
  newClientId,
  S,
  server,
  type Headers,
} from '../screening/support.ts';

export { FIXTURE, HOUR, S };

/**
 * A working day in district A of the fixture city, made through each capability's own HTTP API
 * so that events, consumers and derived rows are as in production: a round over the district,
 * a pool of ten negative people, one single tube of person A1 positive (a community case: A1 is
 * under no control) → case, transfer order, sealed compound, household and floor contacts; a
 * second box left on the road; a shelter hospital with beds. The overview, rules and bulletin
 * tests read it back and compare with each capability's own answer.
 */
export interface CommandWorld {
  app: CordonApp;
  h: Headers;
  roundId: number;
  facilityId: number;
  call(
    method: 'GET' | 'POST' | 'PUT',
    url: string,
    who: keyof Headers,
    payload?: object,
    status?: number,
  ): Promise<any>;
  /** The same, as any principal (facility staff, a transport crew) by a freshly issued token. */
  callAs(
    principal: Principal,
    method: 'GET' | 'POST' | 'PUT',
    url: string,
    payload?: object,
    status?: number,
  ): Promise<any>;
  /** Takes a person's open transfer order through allocation, vehicle, pick-up, arrival and admission. */
  admit(personId: number): Promise<void>;
  /** A positive tube's result in the form the cases capability reads (see below), then every consumer. */
  positiveAsCases(tubeCode: string, personId: number): Promise<void>;
}

export async function loadCommandWorld(ctx: TestContext): Promise<CommandWorld> {
  const h = await loadScreeningWorld(ctx);
  const app = await server(ctx);
  // Tokens are issued afresh for each call: tests move the clock by days, past a login's life.
  const principals = new Map<keyof Headers, Principal>();
  const headersOf = async (who: keyof Headers) => {
    let principal = principals.get(who);
    if (!principal) {
      principals.set(who, (principal = principalOf(await authenticate(ctx, who, 'correct horse battery'))));
    }
    return { authorization: `Bearer ${issueToken(ctx.secrets.tokenKey, principal, ctx.wallClock.now())}` };
  };
  const call = async (
    method: 'GET' | 'POST' | 'PUT',
    url: string,
    who: keyof Headers,
    payload?: object,
    status = 200,
  ) => {
    const res = await app.inject({
      method,
      url: `/api/v1${url}`,
      headers: await headersOf(who),
      ...(payload ? { payload } : {}),
    });
    expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(status);
    return res.body ? res.json() : null;
  };
  const facility = await addFacility(ctx, {
    kind: 'shelter_hospital',
    name: '黄浦方舱',
    districtId: FIXTURE.districtA,
    streetId: FIXTURE.streetA1,
    beds: [{ bedKind: 'standard', total: 10 }],
  });
  const now = ctx.clock.now();
  const roundId = (
    await call(
      'POST',
      '/screening/rounds',
      'cmdA',
      {
        name: '黄浦区全员核酸',
        startsAt: now - HOUR,
        endsAt: now + 23 * HOUR,
        regionIds: [FIXTURE.districtA],
      },
      201,
    )
  ).id as number;
  const scanInto = (tube: string, people: number[], capacity: number) =>
    call('POST', '/scans/batch', 'sampler', {
      roundId,
      siteId: S.siteA,
      scans: people.map((p) => ({
        clientId: newClientId(),
        personCode: codeOf(ctx, p),
        tubeCode: tube,
        collectedAt: ctx.clock.now(),
        tubeCapacity: capacity,
      })),
    });
  const P = (i: number) => S.extraFirst + i;
  await scanInto('NEG-1', [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map(P), 10);
  await scanInto('SGL-A1', [FIXTURE.personA1], 1);
  ctx.clock.advance(10 * 60_000);
  await call(
    'POST',
    '/screening/boxes',
    'sampler',
    {
      barcode: 'BOX-1',
      siteId: S.siteA,
      labId: FIXTURE.labA,
      tubeCodes: ['NEG-1', 'SGL-A1'],
      location: '贵州路采样点',
    },
    201,
  );
  ctx.clock.advance(20 * 60_000);
  await call('POST', '/screening/boxes/BOX-1/dispatch', 'courier', { courierName: '王师傅' });
  ctx.clock.advance(40 * 60_000);
  await call('POST', '/screening/boxes/BOX-1/receive', 'lab', { location: '黄浦检测实验室' });
  ctx.clock.advance(2 * HOUR);
  await call('POST', '/screening/results', 'lab', {
    results: [
      { tubeCode: 'NEG-1', outcome: 'negative' },
      { tubeCode: 'SGL-A1', outcome: 'positive', ct: { orf1ab: 24.5, n: 26.1 } },
    ],
  });
  // The same positive in the cases capability's documented `result.positive` form: a no-op when
  // screening's own event already made the case (one case per source), the case otherwise — the
  // two capabilities are still agreeing on the Ct field's shape.
  const positiveAsCases = async (tubeCode: string, personId: number) => {
    await ctx.events.drain();
    const tube = await ctx.store.db
      .selectFrom('tubes')
      .select(['collected_at', 'resulted_at'])
      .where('barcode', '=', tubeCode)
      .executeTakeFirstOrThrow();
    await publishPositive(ctx, {
      personId,
      tubeCode,
      sampledAt: Number(tube.collected_at),
      resultedAt: Number(tube.resulted_at),
      ct: 24.5,
    });
  };
  await positiveAsCases('SGL-A1', FIXTURE.personA1);
  // A second box stays on the road: one tube waiting in 送.
  await scanInto('SGL-P10', [P(10)], 1);
  await call(
    'POST',
    '/screening/boxes',
    'sampler',
    {
      barcode: 'BOX-2',
      siteId: S.siteA,
      labId: FIXTURE.labA,
      tubeCodes: ['SGL-P10'],
      location: '贵州路采样点',
    },
    201,
  );
  await call('POST', '/screening/boxes/BOX-2/dispatch', 'courier', { courierName: '李师傅' });
  await ctx.events.drain();
  const callAs = async (
    principal: Principal,
    method: 'GET' | 'POST' | 'PUT',
    url: string,
    payload?: object,
    status = 200,
  ) => {
    const authorization = `Bearer ${issueToken(ctx.secrets.tokenKey, principal, ctx.wallClock.now())}`;
    const res = await app.inject({
      method,
      url: `/api/v1${url}`,
      headers: { authorization },
      ...(payload ? { payload } : {}),
    });
    expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(status);
    return res.body ? res.json() : null;
  };
  const admit = async (personId: number) => {
    const order = await ctx.store.db
      .selectFrom('transfer_orders')
      .select('id')
      .where('person_id', '=', personId)
      .where('status', 'not in', ['admitted', 'cancelled'])
      .executeTakeFirstOrThrow();
    const ids = [Number(order.id)];
    await call('POST', `/transfers/${ids[0]}/allocate`, 'cmdA', {});
    await call('POST', '/transfers/dispatch', 'cmdA', {
      orderIds: ids,
      transportOrgId: S.transportOrg,
      vehicle: '沪A·00001',
    });
    await call('POST', '/transfers/pickup', 'courier', { orderIds: ids });
    await call('POST', '/transfers/arrive', 'courier', { orderIds: ids });
    await callAs(
      facilityStaff(facility.organisationId),
      'POST',
      `/facilities/${facility.id}/admissions`,
      { orders: [{ orderId: ids[0] }] },
      201,
    );
    await ctx.events.drain();
  };
  return { app, h, roundId, facilityId: facility.id, call, callAs, admit, positiveAsCases };
}
