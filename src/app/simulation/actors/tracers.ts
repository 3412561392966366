import type { TracedCase } from '../../../domain/simulation/response.ts';
import type { Visit } from '../../../domain/simulation/transmission.ts';
import { ApiError, inParallel } from '../http-client.ts';
import { count, problem, type ActorContext } from './actor-context.ts';

/**
 * 流调: the tracing team works the investigations Cordon opened for the day's cases — the places
 * the case went (its venue check-ins), the contacts the interview finds beyond those Cordon adds
 * by rule (household, floors): co-workers and people met at venues — then closes the interview.
 * Residents' venue check-ins (场所码) reach tracing in bulk, and the co-presence match runs for
 * the day, as the 场所码 system and the tracing team would.
 */
interface Investigation {
  id: number;
  personId: number;
  status: string;
}

async function openInvestigations(actors: ActorContext): Promise<Map<number, number>> {
  const byPerson = new Map<number, number>();
  for (let cursor: number | null = null; ;) {
    const page: { items: Investigation[]; nextCursor: number | null } = await actors.api.get(
      actors.tokens.tracer,
      `/tracing/investigations?status=open&limit=1000${cursor ? `&cursor=${cursor}` : ''}`,
      '/tracing/investigations',
    );
    for (const i of page.items) byPerson.set(i.personId, i.id);
    if (page.nextCursor == null || page.items.length === 0) break;
    cursor = page.nextCursor;
  }
  return byPerson;
}

export async function traceCases(actors: ActorContext, traced: readonly TracedCase[]): Promise<void> {
  if (traced.length === 0) return;
  const ids = actors.sim.population.personIds;
  const open = await openInvestigations(actors);
  await inParallel(traced, 4, async (t) => {
    const investigation = open.get(ids[t.case]);
    if (investigation == null) {
      problem(actors, 'no open investigation for a traced case');
      return;
    }
    const base = `/tracing/investigations/${investigation}`;
    try {
      if (t.visits.length > 0) {
        const entries = t.visits.slice(0, 500).map((v) => {
          const from = actors.instant(0, v.at);
          return {
            placeId: v.venueId,
            description: '场所码 check-in',
            fromAt: from,
            untilAt: from + 3600_000,
          };
        });
        await actors.api.post(
          actors.tokens.tracer,
          `${base}/timeline`,
          { entries },
          '/tracing/investigations/{id}/timeline',
        );
      }
      // Household and floor contacts are Cordon's own, by rule; the interview adds the rest.
      const found = t.contacts.filter((c) => c.exposure === 'workplace' || c.exposure === 'venue');
      for (let i = 0; i < found.length; i += 1000) {
        const contacts = found.slice(i, i + 1000).map((c) => ({
          personId: ids[c.person],
          degree: c.degree,
          exposure: {
            kind: c.exposure,
            placeId: c.venueId,
            at: c.at == null ? null : actors.instant(0, c.at),
          },
        }));
        await actors.api.post(
          actors.tokens.tracer,
          `${base}/contacts`,
          { contacts },
          '/tracing/investigations/{id}/contacts',
        );
        count(actors, 'contacts named', contacts.length);
      }
      await actors.api.post(
        actors.tokens.tracer,
        `${base}/complete`,
        { summary: `${t.contacts.length} contacts (simulation)` },
        '/tracing/investigations/{id}/complete',
      );
      count(actors, 'investigations completed');
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      problem(actors, `tracing refused: ${error.code}`);
    }
  });
}

/** The day's venue check-ins, uploaded in bulk after the venues close. */
export async function uploadCheckins(
  actors: ActorContext,
  day: number,
  visits: readonly Visit[],
): Promise<void> {
  const ids = actors.sim.population.personIds;
  const rows = visits.map((v) => ({
    venueId: v.venueId,
    personId: ids[v.person],
    at: actors.instant(day, v.minute),
  }));
  for (let i = 0; i < rows.length; i += 100_000) {
    await actors.api.post(
      actors.tokens.tracer,
      '/checkins/batch',
      { checkins: rows.slice(i, i + 100_000) },
      '/checkins/batch',
    );
    count(actors, 'check-ins', Math.min(100_000, rows.length - i));
  }
}

export async function matchCoPresence(actors: ActorContext, date: string): Promise<void> {
  const r = await actors.api.post<{ proposed: number }>(
    actors.tokens.tracer,
    '/tracing/match',
    { day: date },
    '/tracing/match',
  );
  count(actors, 'co-presence proposals', r.proposed);
}
