import { samplePositive, sampleCt } from '../../../domain/simulation/disease.ts';
import type { SimBox, TubeResult } from '../../../domain/simulation/lab.ts';
import { inParallel } from '../http-client.ts';
import { count, orgToken, problem, type ActorContext } from './actor-context.ts';
import type { ScanLedger } from './samplers.ts';

/**
 * 送 → 检 → 报: the site seals its closed tubes into a transport box (POST /screening/boxes), the
 * district's sample couriers pick it up (…/dispatch, as the courier team's account), the lab
 * receives it (…/receive) and later posts the tubes' results in bulk (POST /screening/results).
 * Only tubes Cordon actually accepted travel; results go out at the times the model's lab
 * finished them, so a lab's backlog shows in Cordon's stage timing.
 */
const PARALLEL = 4;

/** The codes a box carries: the model's tubes Cordon accepted, plus single tubes made at the site for refused members. */
function boxTubeCodes(box: SimBox, ledger: ScanLedger): string[] {
  const codes: string[] = [];
  const inBox = new Set(box.tubes.map((t) => t.code));
  for (const t of box.tubes) if ((ledger.accepted.get(t.code) ?? 0) > 0) codes.push(t.code);
  for (const s of ledger.singles) if (inBox.has(s.tube.code)) codes.push(s.code);
  return codes;
}

export async function sealBoxes(
  actors: ActorContext,
  boxes: readonly SimBox[],
  ledger: ScanLedger,
): Promise<SimBox[]> {
  const sealed: SimBox[] = [];
  await inParallel(boxes, PARALLEL, async (box) => {
    const tubeCodes = boxTubeCodes(box, ledger);
    if (tubeCodes.length === 0) return;
    const token = orgToken(actors, actors.organisations.siteOrgOf.get(box.siteId)!);
    for (let i = 0; i < tubeCodes.length; i += 2000) {
      const barcode = i === 0 ? box.code : `${box.code}-${i / 2000}`;
      await actors.api.post(
        token,
        '/screening/boxes',
        { barcode, siteId: box.siteId, labId: box.labOrgId, tubeCodes: tubeCodes.slice(i, i + 2000) },
        '/screening/boxes',
      );
      count(actors, 'boxes');
    }
    sealed.push(box);
  });
  return sealed.sort((a, b) => (a.code < b.code ? -1 : 1));
}

function boxBarcodes(box: SimBox, ledger: ScanLedger): string[] {
  const n = Math.ceil(boxTubeCodes(box, ledger).length / 2000);
  return Array.from({ length: n }, (_, i) => (i === 0 ? box.code : `${box.code}-${i}`));
}

/** Couriers of the site's district take the boxes (any of the district's sample teams). */
export async function dispatchBoxes(
  actors: ActorContext,
  boxes: readonly SimBox[],
  ledger: ScanLedger,
  districtOfSite: Map<number, number>,
): Promise<void> {
  await inParallel(boxes, PARALLEL, async (box) => {
    const teams = actors.organisations.couriersByDistrict.get(districtOfSite.get(box.siteId) ?? -1) ?? [];
    const courier = teams[box.siteId % Math.max(1, teams.length)];
    for (const barcode of boxBarcodes(box, ledger)) {
      const token =
        courier != null
          ? orgToken(actors, courier)
          : orgToken(actors, actors.organisations.siteOrgOf.get(box.siteId)!);
      await actors.api.post(
        token,
        `/screening/boxes/${encodeURIComponent(barcode)}/dispatch`,
        {},
        '/screening/boxes/{barcode}/dispatch',
      );
    }
  });
}

export async function receiveBoxes(
  actors: ActorContext,
  boxes: readonly SimBox[],
  ledger: ScanLedger,
): Promise<void> {
  await inParallel(boxes, PARALLEL, async (box) => {
    const token = orgToken(actors, box.labOrgId);
    for (const barcode of boxBarcodes(box, ledger)) {
      await actors.api.post(
        token,
        `/screening/boxes/${encodeURIComponent(barcode)}/receive`,
        {},
        '/screening/boxes/{barcode}/receive',
      );
    }
    for (const code of boxTubeCodes(box, ledger)) actors.state.receivedTubes.add(code);
  });
}

interface ResultLine {
  tubeCode: string;
  outcome: 'negative' | 'positive' | 'invalid';
  ct?: { orf1ab: number; n: number };
}

/** Posts the given results, lab by lab; single tubes made for refused members are resulted with their tube. */
export async function postResults(
  actors: ActorContext,
  results: readonly TubeResult[],
  singles: Map<string, { person: number; code: string }[]>,
): Promise<void> {
  const byLab = new Map<number, ResultLine[]>();
  const { state, options } = actors.sim;
  const disease = options.parameters.disease;
  for (const r of results) {
    const lines = byLab.get(r.labOrgId) ?? [];
    byLab.set(r.labOrgId, lines);
    if (actors.state.receivedTubes.delete(r.tube.code)) {
      lines.push({ tubeCode: r.tube.code, outcome: r.outcome, ...(r.ct ? { ct: r.ct } : {}) });
    }
    const made = singles.get(r.tube.code) ?? [];
    singles.delete(r.tube.code);
    for (const s of made) {
      if (!actors.state.receivedTubes.delete(s.code)) continue;
      const positive = samplePositive(state, s.person, r.sampledDay, disease, options.seed);
      lines.push({
        tubeCode: s.code,
        outcome: positive ? 'positive' : 'negative',
        ...(positive ? { ct: sampleCt(state, s.person, r.sampledDay, options.seed) } : {}),
      });
    }
  }
  await inParallel([...byLab], 2, async ([lab, lines]) => {
    for (let i = 0; i < lines.length; i += 10_000) {
      const chunk = lines.slice(i, i + 10_000);
      try {
        await actors.api.post(
          orgToken(actors, lab),
          '/screening/results',
          { results: chunk },
          '/screening/results',
        );
        count(actors, 'tube results', chunk.length);
      } catch (error) {
        // All or nothing per post: one refused line would lose the lab's whole batch, so say which.
        problem(actors, `results refused: ${(error as Error).message.slice(0, 120)}`);
      }
    }
  });
}
