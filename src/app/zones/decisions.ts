import type { Principal } from '../../domain/access/principal.ts';
import { DomainError, invalid, notFound } from '../../domain/errors.ts';
import type { ZoneLevel } from '../../domain/rules/zones-schema.ts';
import { applyManual } from '../../domain/zones/apply.ts';
import { decideOnCaseStay } from '../../domain/zones/on-positive.ts';
import { assertDecisionReason, assertMayDecideZones } from '../../domain/zones/policy.ts';
import { decideProposal, proposalById } from '../../store/zones/changes.ts';
import {
  designationById,
  designationOfPlace,
  placeInfo,
  type StoredDesignation,
} from '../../store/zones/designations.ts';
import { inTransaction, type AppContext } from '../context.ts';
import { applyZoneChanges, saveDesignation } from './designations.ts';
import { evaluatePage } from './evaluate.ts';
import { applyStoredProposal, publishDecision } from './proposals.ts';
import { residentCount } from './residents.ts';
import { zoneRuntime, type ZoneRuntime } from './runtime.ts';

/**
 * What an authorised user does to zones: approve or reject a proposal with a reason, designate a
 * place by hand (a case stayed there; a correction). Each is checked against the user's region.
 */
export function assertPlaceInScope(
  ctx: AppContext,
  principal: Principal,
  d: Pick<StoredDesignation, 'committeeId' | 'streetId' | 'placeId'>,
  field = 'placeId',
): void {
  const scope = principal.scope;
  const region = d.committeeId ?? d.streetId;
  if (scope.kind !== 'region' || !ctx.regions.isWithin(region, scope.regionId)) {
    throw new DomainError('out_of_scope', `place ${d.placeId} is not in your area`, [
      { field, message: 'not in your area' },
    ]);
  }
}

function actorOf(principal: Principal): ZoneRuntime['actor'] {
  return { userId: principal.userId, username: principal.username };
}

export interface Decision {
  decision: 'approve' | 'reject';
  reason: string;
}

export async function decideZoneProposal(
  ctx: AppContext,
  principal: Principal,
  proposalId: number,
  input: Decision,
) {
  assertMayDecideZones(principal.role);
  const reason = assertDecisionReason(input.reason);
  return inTransaction(ctx, async (uow) => {
    const row = await proposalById(uow.trx, proposalId);
    if (!row) throw notFound(`proposal ${proposalId}`);
    const d = await designationById(uow.trx, row.designation_id);
    if (!d) throw notFound(`designation ${row.designation_id}`);
    assertPlaceInScope(ctx, principal, d);
    if (row.status !== 'pending') {
      throw new DomainError('conflict', `proposal ${proposalId} is already ${row.status}`, [
        { field: 'proposalId', message: row.status },
      ]);
    }
    const rt = await zoneRuntime(ctx, uow, actorOf(principal));
    if (input.decision === 'reject') {
      await decideProposal(uow.trx, row, {
        status: 'rejected',
        at: uow.now,
        userId: principal.userId,
        username: principal.username,
        reason,
      });
      publishDecision(rt, d, row, 'rejected', reason);
      return { status: 'rejected' as const, designation: d };
    }
    // The rules are checked again now: a new positive since the proposal makes it wrong.
    const [now] = await evaluatePage(
      {
        db: uow.trx,
        zones: rt.zones,
        today: rt.today,
        timeZone: ctx.config.timeZone,
        residentCount: (placeId) => residentCount(rt, placeId),
      },
      [d],
    );
    const proposal = now.evaluation.proposal;
    if (
      !proposal ||
      (proposal.to?.level ?? null) !== row.to_level ||
      (proposal.to?.phase ?? null) !== row.to_phase
    ) {
      await decideProposal(uow.trx, row, {
        status: 'superseded',
        at: uow.now,
        userId: principal.userId,
        username: principal.username,
        reason: 'the rules no longer allow it',
      });
      throw new DomainError(
        'conflict',
        `proposal ${proposalId} no longer holds: the place changed since it was made`,
        [{ field: 'proposalId', message: 'superseded; run the proposals again' }],
      );
    }
    const saved = await applyStoredProposal(rt, d, row, proposal, reason);
    return { status: 'approved' as const, designation: saved };
  });
}

export interface ManualDesignation {
  placeId: number;
  level: ZoneLevel;
  phase?: string;
  reason: string;
  /** A case that stayed there (national-9th medium risk): the set's `onCaseStay` decides. */
  caseId?: string;
}

/**
 * A hand-made designation: a correction, or (with `caseId`) a place a case stayed at. The period
 * restarts on the day; history records the user and the reason.
 */
export async function designatePlace(
  ctx: AppContext,
  principal: Principal,
  input: ManualDesignation,
): Promise<StoredDesignation> {
  assertMayDecideZones(principal.role);
  const reason = assertDecisionReason(input.reason);
  return inTransaction(ctx, async (uow) => {
    const place = await placeInfo(uow.trx, input.placeId);
    if (!place) throw invalid('placeId', 'no such place', input.placeId);
    assertPlaceInScope(ctx, principal, {
      committeeId: place.committeeId,
      streetId: place.streetId,
      placeId: place.id,
    });
    const rt = await zoneRuntime(ctx, uow, actorOf(principal));
    const current = await designationOfPlace(uow.trx, place.id, place.districtId);
    if (input.caseId) {
      const change = decideOnCaseStay(rt.zones, place.id, input.caseId, current, rt.today);
      if (!change) {
        throw new DomainError(
          'conflict',
          'the place already stands at that level or stricter, or this rule set does not use case stays',
          [{ field: 'caseId', message: 'no change' }],
        );
      }
      const [saved] = await applyZoneChanges(
        rt,
        [{ ...change, reason: { ...change.reason, text: `${change.reason.text}: ${reason}` } }],
        () => place.districtId,
      );
      return saved;
    }
    // The single route restarts the period of a place already at the level (a correction); the
    // batch form leaves it as it is (a retry). Same rule otherwise: domain/zones/apply.ts.
    const after = applyManual(rt.zones.levels[input.level].phases, current, input, rt.today, uow.now, {
      keepIfAtLevel: false,
    })!;
    return saveDesignation(rt, current, after, {
      change: 'manual',
      reason: { code: 'manual', text: reason },
    });
  });
}
