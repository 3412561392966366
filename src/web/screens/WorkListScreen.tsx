import { overduePeople, peopleByIds, poolHolds, transfersByStatus, type Person } from '../api/work.ts';
import { useRemote } from '../app/useRemote.ts';
import type { ScreenProps } from '../app/Workspace.tsx';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { Panel } from '../panels/Panel.tsx';

/** A person as the server masked them: name (张*) and building, never more on a list. */
function Who({ person, id }: { person: Person | undefined; id: number }) {
  const { t } = useI18n();
  return (
    <>
      <td>{person?.name ?? t('work.person', { id })}</td>
      <td className="muted">{person?.address ?? t('common.unknown')}</td>
    </>
  );
}

function useWait() {
  const { t } = useI18n();
  return (since: number, now: number) => {
    const hours = Math.max(0, (now - since) / 3_600_000);
    return hours < 1
      ? t('duration.minutes', { n: Math.round(hours * 60) })
      : t('duration.hours', { n: hours.toFixed(1) });
  };
}

/**
 * The street's work list (街镇工作清单): who has not been tested (应检未检, from compliance), who
 * waits for transfer (from cases), and pool members waiting for their single-tube retest — each
 * person masked as the server returns them, oldest first, refreshed live.
 */
export function WorkListScreen({ api, version, timeZone }: ScreenProps) {
  const { t, tMaybe, formatDateTime } = useI18n();
  const wait = useWait();
  const data = useRemote(
    async () => {
      // Waits are measured on the deployment's clock (a drill may run it far from this browser's).
      const [overdue, waiting, holds, health] = await Promise.all([
        overduePeople(api),
        transfersByStatus(api, 'waiting', 100),
        poolHolds(api),
        api.get<{ now: number }>('/health'),
      ]);
      const overdueRows = overdue.groups.flatMap((g) => g.people.map((p) => ({ ...p, label: g.label })));
      const people = await peopleByIds(api, [
        ...overdueRows.map((p) => p.personId),
        ...waiting.map((o) => o.personId),
      ]);
      return { overdueRows, waiting, holds, people, now: health.now };
    },
    [api],
    version,
  );
  const d = data.data;
  return (
    <main className="screen columns" data-testid="work-screen">
      {data.error && <p className="alarm">{t('common.error', { message: data.error.message })}</p>}
      <Panel title={t('work.overdue', { n: d?.overdueRows.length ?? 0 })} testId="work-overdue">
        {d && d.overdueRows.length === 0 && <p className="muted">{t('work.none')}</p>}
        <table className="rows work">
          <tbody>
            {d?.overdueRows.map((p) => (
              <tr key={p.personId} data-testid={`overdue-${p.personId}`}>
                <Who person={d.people.get(p.personId)} id={p.personId} />
                <td>{p.label ?? ''}</td>
                <td>{t('work.overdueSince', { time: formatDateTime(p.overdueSince, timeZone) })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Panel>
      <Panel title={t('work.waitingTransfer', { n: d?.waiting.length ?? 0 })} testId="work-transfers">
        {d && d.waiting.length === 0 && <p className="muted">{t('work.none')}</p>}
        <table className="rows work">
          <tbody>
            {d?.waiting.map((o) => (
              <tr key={o.id} data-testid={`waiting-${o.id}`}>
                <Who person={d.people.get(o.personId)} id={o.personId} />
                <td>{tMaybe(`need.${o.need}`) ?? o.need}</td>
                <td className={o.unplacedAt != null ? 'alarm' : ''}>
                  {o.unplacedAt != null
                    ? t('work.noBed')
                    : t('work.waited', { time: wait(o.foundAt, d.now) })}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Panel>
      <Panel title={t('work.poolHolds', { n: d?.holds.length ?? 0 })} testId="work-pool-holds">
        {d && d.holds.length === 0 && <p className="muted">{t('work.none')}</p>}
        <table className="rows work">
          <tbody>
            {d?.holds.map((h) => (
              <tr key={h.orderId} data-testid={`hold-${h.orderId}`}>
                <Who person={h.person} id={h.person.id} />
                <td className={h.overdue ? 'alarm' : ''}>
                  {t('work.retestBy', { time: formatDateTime(h.dueAt, timeZone) })}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Panel>
    </main>
  );
}
