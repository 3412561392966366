import type { FastifyRequest } from 'fastify';
import { rejectionMessage } from '../../domain/screening/sampler-errors.ts';
import type { ItemOutcome } from '../../domain/screening/scan-group.ts';
import type { Round } from '../../domain/screening/round.ts';
import { preferredLanguage } from '../language.ts';

/** The only place that shapes screening JSON for clients. */
export function presentRound(round: Round & { status: 'planned' | 'open' | 'ended' }) {
  const { positivePool: _hidden, ...pooling } = round.pooling;
  void _hidden;
  return { ...round, pooling };
}

export function presentScanOutcomes(
  request: FastifyRequest,
  clientIds: readonly string[],
  outcomes: readonly ItemOutcome[],
) {
  const language = preferredLanguage(request) === 'en' ? 'en' : 'zh';
  let accepted = 0;
  let duplicates = 0;
  let rejected = 0;
  const results = outcomes.map((o, i) => {
    if (o.status === 'accepted') {
      accepted++;
      return { clientId: clientIds[i], status: o.status, tubeCode: o.tubeCode };
    }
    if (o.status === 'duplicate') {
      duplicates++;
      return { clientId: clientIds[i], status: o.status, tubeCode: o.tubeCode };
    }
    rejected++;
    return {
      clientId: clientIds[i],
      status: o.status,
      code: o.rejection.code,
      message: rejectionMessage(o.rejection, language),
    };
  });
  return { accepted, duplicates, rejected, results };
}

type BoxLike = {
  barcode: string;
  state: string;
  site_id: number | null;
  lab_id: number | null;
  tubes: number;
  sealed_at: number | null;
  dispatched_at: number | null;
  received_at: number | null;
  courier_org_id: number | null;
  courier_name: string | null;
};
const num = (v: number | null) => (v == null ? null : Number(v));

export function presentBox(b: BoxLike) {
  return {
    barcode: b.barcode,
    state: b.state,
    siteId: num(b.site_id),
    labId: num(b.lab_id),
    tubes: Number(b.tubes),
    sealedAt: num(b.sealed_at),
    dispatchedAt: num(b.dispatched_at),
    receivedAt: num(b.received_at),
    courierOrgId: num(b.courier_org_id),
    courierName: b.courier_name,
  };
}

export function presentCustody(c: {
  action: string;
  at: number;
  user_id: number | null;
  organisation_id: number | null;
  location: string | null;
  lng: number | null;
  lat: number | null;
  note: string | null;
}) {
  return {
    action: c.action,
    at: Number(c.at),
    userId: num(c.user_id),
    organisationId: num(c.organisation_id),
    location: c.location,
    lng: c.lng,
    lat: c.lat,
    note: c.note,
  };
}

export function presentTube(t: Record<string, unknown> & { memberResult: string }) {
  const n = (k: string) => (t[k] == null ? null : Number(t[k]));
  return {
    barcode: String(t.barcode),
    roundId: Number(t.round_id),
    siteId: Number(t.site_id),
    purpose: String(t.purpose),
    capacity: Number(t.capacity),
    filled: Number(t.filled),
    state: String(t.state),
    labId: n('lab_id'),
    result: (t.result as string | null) ?? null,
    memberResult: t.memberResult,
    stamps: Object.fromEntries(
      [
        'collected_at',
        'closed_at',
        'boxed_at',
        'dispatched_at',
        'received_at',
        'resulted_at',
        'notified_at',
      ].map((k) => [k.replace(/_at$/, 'At').replace('_', ''), n(k)]),
    ),
  };
}
