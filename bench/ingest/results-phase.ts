import { sql } from 'kysely';
import type { AppContext } from '../../src/app/context.ts';
import { Random } from '../../src/domain/random.ts';
import { call, percentile, runClients, type Http } from './drive.ts';
import type { SiteSlot } from './plan.ts';
import type { BenchActors } from './setup.ts';

/**
 * The rest of the chain for every tube of the round, through the real API: partly filled tubes
 * closed by hand, boxes of 100 tubes sealed, handed to a courier and received by a lab of the
 * site's district, then every tube's result posted by its lab, 1,000 a request. Timed: the
 * results, until every member's result is readable (the post's 200 means committed); then how
 * long until the follow-up consumer has stamped every tube "members notified".
 */
const BOX = 100;
const RESULTS_PER_POST = 1000;

export interface ResultsOptions {
  clients: number;
  /** Per-person positivity; a pool is positive if any member is. */
  positivity: number;
  log: (message: string) => void;
}

async function rows<T>(ctx: AppContext, query: ReturnType<typeof sql<T>>): Promise<T[]> {
  return (await query.execute(ctx.store.db)).rows;
}

export async function runResultsPhase(
  ctx: AppContext,
  http: Http,
  actors: BenchActors,
  sites: Map<number, SiteSlot[]>,
  o: ResultsOptions,
): Promise<Record<string, unknown>> {
  const slot = new Map([...sites.values()].flat().map((s) => [s.siteId, s]));
  const sampler = (siteId: number) => actors.samplers.get(slot.get(siteId)!.organisationId)!;

  const open = await rows(
    ctx,
    sql<{ barcode: string; site_id: number }>`select barcode, site_id from tubes where state = 'open'`,
  );
  o.log(`closing ${open.length} partly filled tubes…`);
  let i = 0;
  await runClients(
    o.clients,
    async () => open[i++] ?? null,
    async (t) =>
      void (await call(
        http,
        'POST',
        `/screening/tubes/${encodeURIComponent(t.barcode)}/close`,
        sampler(Number(t.site_id)),
      )),
  );

  const closed = await rows(
    ctx,
    sql<{
      barcode: string;
      site_id: number;
      district_id: number;
    }>`select barcode, site_id, district_id from tubes where state = 'closed' order by site_id, id`,
  );
  const boxes: { siteId: number; districtId: number; tubes: string[] }[] = [];
  for (const t of closed) {
    const last = boxes[boxes.length - 1];
    if (last && last.siteId === Number(t.site_id) && last.tubes.length < BOX) last.tubes.push(t.barcode);
    else boxes.push({ siteId: Number(t.site_id), districtId: Number(t.district_id), tubes: [t.barcode] });
  }
  const allLabs = [...actors.labs.keys()];
  const labFor = (districtId: number, n: number) => {
    const labs = actors.labsByDistrict.get(districtId) ?? allLabs;
    return labs[n % labs.length];
  };
  o.log(`sealing, dispatching and receiving ${boxes.length} boxes…`);
  const boxStarted = performance.now();
  let b = 0;
  await runClients(
    o.clients,
    async () => (b < boxes.length ? { box: boxes[b], n: b++ } : null),
    async ({ box, n }) => {
      const barcode = `BX-${n}`;
      const labId = labFor(box.districtId, n);
      await call(http, 'POST', '/screening/boxes', sampler(box.siteId), {
        barcode,
        siteId: box.siteId,
        labId,
        tubeCodes: box.tubes,
      });
      await call(http, 'POST', `/screening/boxes/${barcode}/dispatch`, sampler(box.siteId), {
        courierOrgId: actors.couriers[n % actors.couriers.length],
      });
      await call(http, 'POST', `/screening/boxes/${barcode}/receive`, actors.labs.get(labId)!, {});
    },
  );
  const boxSeconds = (performance.now() - boxStarted) / 1000;

  const received = await rows(
    ctx,
    sql<{
      barcode: string;
      filled: number;
      lab_id: number;
    }>`select barcode, filled, lab_id from tubes where state = 'received' order by lab_id, id`,
  );
  const r = new Random(`ingest-results:${ctx.config.dataDir}`);
  const posts: { token: string; results: object[] }[] = [];
  let positive = 0;
  for (const t of received) {
    const last = posts[posts.length - 1];
    const token = actors.labs.get(Number(t.lab_id))!;
    const isPositive = r.float() < 1 - Math.pow(1 - o.positivity, Number(t.filled));
    if (isPositive) positive++;
    const line = isPositive
      ? {
          tubeCode: t.barcode,
          outcome: 'positive',
          ct: { orf1ab: 20 + Math.round(r.float() * 150) / 10, n: 22 + Math.round(r.float() * 130) / 10 },
        }
      : { tubeCode: t.barcode, outcome: 'negative' };
    if (last && last.token === token && last.results.length < RESULTS_PER_POST) last.results.push(line);
    else posts.push({ token, results: [line] });
  }
  o.log(`posting ${received.length} results (${positive} positive) in ${posts.length} requests…`);
  const started = performance.now();
  let p = 0;
  const latencies = await runClients(
    o.clients,
    async () => posts[p++] ?? null,
    async (post) =>
      void (await call(http, 'POST', '/screening/results', post.token, { results: post.results })),
  );
  const seconds = (performance.now() - started) / 1000;

  // Readable: a sample of members read their own result, none pending.
  const sample = await rows(
    ctx,
    sql<{
      person_id: number;
    }>`select person_id from scans order by id limit 200 offset ${Math.floor(r.float() * 1000)}`,
  );
  for (const s of sample) {
    const { json } = await call(http, 'GET', '/me/results', actors.resident(Number(s.person_id)));
    const items = (json as { items: { result: string }[] }).items;
    if (items.length === 0 || items.some((x) => x.result === 'pending')) {
      throw new Error(`person ${s.person_id}: result not readable after the posts`);
    }
  }
  let notifiedSeconds: number | null = null;
  for (let waited = 0; waited < 600_000; waited += 250) {
    const [left] = await rows(
      ctx,
      sql<{ n: number }>`select count(*) as n from tubes where state = 'resulted' and notified_at is null`,
    );
    if (Number(left.n) === 0) {
      notifiedSeconds = (performance.now() - started) / 1000;
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const [holds] = await rows(
    ctx,
    sql<{ n: number }>`select count(*) as n from control_episodes where kind = 'pool_hold'`,
  );
  return {
    resultsTubes: received.length,
    resultsTubesPerSec: Math.round(received.length / seconds),
    resultsSeconds: Math.round(seconds * 1000) / 1000,
    resultsP50Ms: Math.round(percentile(latencies, 0.5)),
    resultsP99Ms: Math.round(percentile(latencies, 0.99)),
    positivePools: positive,
    poolHolds: Number(holds.n),
    boxes: boxes.length,
    boxSeconds: Math.round(boxSeconds * 10) / 10,
    membersCheckedReadable: sample.length,
    notifiedSeconds: notifiedSeconds == null ? null : Math.round(notifiedSeconds * 10) / 10,
  };
}
