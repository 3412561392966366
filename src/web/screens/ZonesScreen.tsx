import { useState } from 'react';
import { ApiError } from '../api/client.ts';
import { decideProposal, listProposals, placesByIds, type PlaceCard, type Proposal } from '../api/work.ts';
import { useRemote } from '../app/useRemote.ts';
import type { ScreenProps } from '../app/Workspace.tsx';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { Panel } from '../panels/Panel.tsx';

/** Who decides zones (the zones capability's ZONE_DECIDER_ROLES); the server checks again. */
const DECIDERS = ['admin', 'city_command', 'district_command'];
const MIN_REASON = 4;

function useStage() {
  const { t, tMaybe } = useI18n();
  return (stage: { level: string; phase: string } | null) =>
    stage == null
      ? t('zones.rejoinCompound')
      : `${tMaybe(`zones.${stage.level}`) ?? stage.level} · ${tMaybe(`zonePhase.${stage.phase}`) ?? stage.phase}`;
}

function ProposalRow({
  proposal,
  place,
  canDecide,
  onDecide,
}: {
  proposal: Proposal;
  place: PlaceCard | undefined;
  canDecide: boolean;
  onDecide(decision: 'approve' | 'reject', reason: string): Promise<void>;
}) {
  const { t } = useI18n();
  const stage = useStage();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const decide = async (decision: 'approve' | 'reject') => {
    setBusy(true);
    try {
      await onDecide(decision, reason.trim());
    } finally {
      setBusy(false);
    }
  };
  return (
    <tr data-testid={`proposal-${proposal.id}`}>
      <td>
        <strong>{place?.name ?? t('zones.place', { id: proposal.placeId })}</strong>
        <div className="muted">{place?.address}</div>
      </td>
      <td>{stage(proposal.from)}</td>
      <td>→ {stage(proposal.to)}</td>
      <td>{proposal.dueDay}</td>
      <td className="reason">{proposal.reason}</td>
      <td>
        <div className="actions">
          {canDecide && proposal.status === 'pending' ? (
            <>
              <input
                aria-label={t('zones.decisionReason')}
                placeholder={t('zones.decisionReasonHint')}
                value={reason}
                onChange={(e) => setReason(e.target.value)}
                data-testid="proposal-reason"
              />
              <button
                type="button"
                disabled={busy || reason.trim().length < MIN_REASON}
                onClick={() => void decide('approve')}
                data-testid="proposal-approve"
              >
                {t('zones.approve')}
              </button>
              <button
                type="button"
                disabled={busy || reason.trim().length < MIN_REASON}
                onClick={() => void decide('reject')}
                data-testid="proposal-reject"
              >
                {t('zones.reject')}
              </button>
            </>
          ) : (
            <span className="muted">{t(`zones.status.${proposal.status}` as 'zones.status.pending')}</span>
          )}
        </div>
      </td>
    </tr>
  );
}

/**
 * 三区 step-down approvals: the zones capability proposes each day's step-downs by the rule set;
 * district or city command approves or rejects each with a reason (recorded in the place's
 * history). Approval re-checks the rules on the server, so a stale proposal is refused there.
 */
export function ZonesScreen({ api, session, version }: ScreenProps) {
  const { t } = useI18n();
  const [status, setStatus] = useState<'pending' | 'approved' | 'rejected'>('pending');
  const [failure, setFailure] = useState<string | null>(null);
  const proposals = useRemote(
    async () => {
      const items = await listProposals(api, status);
      return {
        items,
        places: await placesByIds(
          api,
          items.map((p) => p.placeId),
        ),
      };
    },
    [api, status],
    version,
  );
  const canDecide = DECIDERS.includes(session.user.role);
  const decide = async (id: number, decision: 'approve' | 'reject', reason: string) => {
    setFailure(null);
    try {
      await decideProposal(api, id, decision, reason);
      proposals.reload();
    } catch (e) {
      setFailure(t('zones.decisionFailed', { message: e instanceof ApiError ? e.message : String(e) }));
    }
  };
  const items = proposals.data?.items ?? [];
  return (
    <main className="screen" data-testid="zones-screen">
      <Panel title={t('nav.zones')} testId="zones-proposals">
        <div className="toolbar">
          {(['pending', 'approved', 'rejected'] as const).map((s) => (
            <button
              type="button"
              key={s}
              className={s === status ? 'active' : ''}
              onClick={() => setStatus(s)}
              data-testid={`proposals-${s}`}
            >
              {t(`zones.status.${s}`)}
            </button>
          ))}
          {!canDecide && <span className="muted">{t('zones.readOnly')}</span>}
        </div>
        {failure && (
          <p className="alarm" data-testid="zones-failure">
            {failure}
          </p>
        )}
        {proposals.error && (
          <p className="alarm">{t('common.error', { message: proposals.error.message })}</p>
        )}
        {proposals.data && items.length === 0 && <p className="muted">{t('zones.noProposals')}</p>}
        {items.length > 0 && (
          <table className="rows work">
            <thead>
              <tr>
                <th>{t('zones.col.place')}</th>
                <th>{t('zones.col.from')}</th>
                <th>{t('zones.col.to')}</th>
                <th>{t('zones.col.due')}</th>
                <th>{t('zones.col.reason')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {items.map((p) => (
                <ProposalRow
                  key={p.id}
                  proposal={p}
                  place={proposals.data?.places.get(p.placeId)}
                  canDecide={canDecide}
                  onDecide={(decision, reason) => decide(p.id, decision, reason)}
                />
              ))}
            </tbody>
          </table>
        )}
      </Panel>
    </main>
  );
}
