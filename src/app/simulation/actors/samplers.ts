import { encodePersonCode } from '../../access/person-code.ts';
import type { SimTube } from '../../../domain/simulation/sampling.ts';
import { inParallel } from '../http-client.ts';
import { count, orgToken, problem, type ActorContext } from './actor-context.ts';
import { groupBy } from '../../../domain/group-by.ts';

/**
 * 采: the samplers at each site scan the resident's code and the tube's barcode, and their
 * devices upload in batches (POST /scans/batch, up to 1,000 scans), as the ingest API expects.
 * Each scan states the tube's capacity — the people the sampler will put in it — so a tube
 * closes itself with its last member. A scan the server refuses is handled as a sampler would:
 * a person Cordon holds in a stricter zone than the pool allows is re-sampled into a single tube;
 * a tube left short is closed by hand.
 */
const CODE_TTL_MS = 24 * 3600_000;
const PARALLEL = 4;

interface ScanBody {
  clientId: string;
  personCode: string;
  tubeCode: string;
  collectedAt: number;
  tubeCapacity: number;
  tubePurpose: SimTube['purpose'];
}

interface ScanResponse {
  results: {
    clientId: string;
    status: 'accepted' | 'duplicate' | 'rejected';
    code?: string;
    message?: string;
  }[];
}

export interface SamplingWindow {
  day: number;
  tubes: readonly SimTube[];
  /** Members sampled in [from, until) minutes of the day are uploaded now. */
  from: number;
  until: number;
}

/** Tube code → members Cordon accepted; and single tubes made for refused members. */
export interface ScanLedger {
  accepted: Map<string, number>;
  singles: { tube: SimTube; person: number; code: string }[];
}

export function newScanLedger(): ScanLedger {
  return { accepted: new Map(), singles: [] };
}

export async function uploadScans(
  actors: ActorContext,
  window: SamplingWindow,
  ledger: ScanLedger,
): Promise<void> {
  const groups = new Map<
    string,
    { roundId: number; siteId: number; scans: ScanBody[]; tubeOf: Map<string, SimTube> }
  >();
  for (const tube of window.tubes) {
    const roundId = actors.state.roundIds.get(tube.roundKey);
    if (roundId == null) continue;
    tube.members.forEach((person, k) => {
      const minute = tube.minutes[k];
      if (minute < window.from || minute >= window.until) return;
      const key = `${roundId}:${tube.siteId}`;
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { roundId, siteId: tube.siteId, scans: [], tubeOf: new Map() }));
      const clientId = `${actors.runTag}-${tube.code}-${k}`;
      group.tubeOf.set(clientId, tube);
      group.scans.push(scanBody(actors, person, tube, window.day, minute, clientId));
    });
  }
  const batches: { group: typeof groups extends Map<string, infer G> ? G : never; scans: ScanBody[] }[] = [];
  for (const group of groups.values()) {
    for (let i = 0; i < group.scans.length; i += 1000) {
      batches.push({ group, scans: group.scans.slice(i, i + 1000) });
    }
  }
  const refused: { tube: SimTube; clientId: string; code: string }[] = [];
  await inParallel(batches, PARALLEL, async ({ group, scans }) => {
    const token = orgToken(actors, actors.organisations.siteOrgOf.get(group.siteId)!);
    const response = await actors.api.post<ScanResponse>(
      token,
      '/scans/batch',
      { roundId: group.roundId, siteId: group.siteId, scans },
      '/scans/batch',
    );
    for (const r of response.results) {
      const tube = group.tubeOf.get(r.clientId)!;
      if (r.status === 'rejected') {
        refused.push({ tube, clientId: r.clientId, code: r.code ?? 'rejected' });
        if (process.env.CORDON_SIM_TRACE && Math.random() < 0.01) {
          actors.log(`  refused ${tube.roundKey} ${tube.purpose} ${tube.members.length}: ${r.message ?? ''}`);
        }
      } else ledger.accepted.set(tube.code, (ledger.accepted.get(tube.code) ?? 0) + 1);
    }
    count(actors, 'scans', scans.length);
  });
  await resampleRefused(actors, window.day, refused, ledger);
}

function scanBody(
  actors: ActorContext,
  person: number,
  tube: SimTube,
  day: number,
  minute: number,
  clientId: string,
): ScanBody {
  const personId = actors.sim.population.personIds[person];
  const [ref, districtId] = actors.codes.get(personId)!;
  const collectedAt = actors.instant(day, minute);
  return {
    clientId,
    personCode: encodePersonCode(actors.codeKey, { ref, districtId, expiresAt: collectedAt + CODE_TTL_MS }),
    tubeCode: tube.code,
    collectedAt,
    tubeCapacity: tube.purpose === 'retest' ? 1 : tube.members.length,
    tubePurpose: tube.purpose,
  };
}

/** Refused scans a sampler can fix on the spot go again, each in a single tube of its own. */
async function resampleRefused(
  actors: ActorContext,
  day: number,
  refused: { tube: SimTube; clientId: string; code: string }[],
  ledger: ScanLedger,
): Promise<void> {
  const again: { tube: SimTube; person: number; body: ScanBody; roundId: number }[] = [];
  for (const r of refused) {
    problem(actors, `scan refused: ${r.code}`);
    if (r.code !== 'pool_too_large' && r.code !== 'no_retest_order') continue;
    const k = Number(r.clientId.slice(r.clientId.lastIndexOf('-') + 1));
    const person = r.tube.members[k];
    const code = `${r.tube.code}S${k}`;
    const body = scanBody(
      actors,
      person,
      { ...r.tube, code, purpose: 'pooled', members: [person], minutes: [r.tube.minutes[k]] },
      day,
      r.tube.minutes[k],
      `${r.clientId}S`,
    );
    again.push({ tube: r.tube, person, body, roundId: actors.state.roundIds.get(r.tube.roundKey)! });
  }
  // Uploaded as the devices upload everything: in batches per (round, site), not a request a
  // person (a lockdown's first round refuses ~280,000 pooled scans at S = 0.01). Outcomes are
  // recorded in the batches' order, whatever order the answers come in.
  const groups = groupBy(again, (a) => `${a.roundId}:${a.tube.siteId}`);
  const batches = [...groups.values()].flatMap((group) => {
    const out: (typeof again)[] = [];
    for (let i = 0; i < group.length; i += 1000) out.push(group.slice(i, i + 1000));
    return out;
  });
  const answers: ScanResponse['results'][] = new Array(batches.length);
  await inParallel(
    batches.map((batch, i) => ({ batch, i })),
    PARALLEL,
    async ({ batch, i }) => {
      const token = orgToken(actors, actors.organisations.siteOrgOf.get(batch[0].tube.siteId)!);
      const response = await actors.api.post<ScanResponse>(
        token,
        '/scans/batch',
        { roundId: batch[0].roundId, siteId: batch[0].tube.siteId, scans: batch.map((a) => a.body) },
        '/scans/batch',
      );
      answers[i] = response.results;
    },
  );
  batches.forEach((batch, i) => {
    const byClient = new Map(answers[i].map((r) => [r.clientId, r]));
    for (const a of batch) {
      const answer = byClient.get(a.body.clientId);
      if (answer?.status === 'rejected') {
        problem(actors, `single-tube resample refused: ${answer.code ?? ''}`);
      } else ledger.singles.push({ tube: a.tube, person: a.person, code: a.body.tubeCode });
    }
  });
}

/** Tubes of the run whose members did not all go in are closed by hand before boxing. */
export async function closeShortTubes(
  actors: ActorContext,
  tubes: readonly SimTube[],
  ledger: ScanLedger,
): Promise<void> {
  const short = tubes.filter((t) => {
    const n = ledger.accepted.get(t.code) ?? 0;
    return n > 0 && n < (t.purpose === 'retest' ? 1 : t.members.length);
  });
  await inParallel(short, PARALLEL, async (t) => {
    await actors.api.post(
      orgToken(actors, actors.organisations.siteOrgOf.get(t.siteId)!),
      `/screening/tubes/${encodeURIComponent(t.code)}/close`,
      undefined,
      '/screening/tubes/{barcode}/close',
    );
    count(actors, 'tubes closed by hand');
  });
}
