import { useState } from 'react';
import { ApiError } from '../api/client.ts';
import { peopleByIds, transfersByStatus, type Person, type TransferOrder } from '../api/work.ts';
import { useRemote } from '../app/useRemote.ts';
import type { ScreenProps } from '../app/Workspace.tsx';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { Panel } from '../panels/Panel.tsx';

const COLUMNS = ['waiting', 'allocated', 'dispatched', 'picked_up', 'arrived'] as const;
type Column = (typeof COLUMNS)[number];
/** Cards shown per column: the oldest first, the rest counted in the column's title by the server's page. */
const PER_COLUMN = 30;
const COMMAND = ['admin', 'city_command', 'district_command'];

interface Action {
  label: 'transfers.allocate' | 'transfers.pickUp' | 'transfers.arrive' | 'transfers.admit';
  run(order: TransferOrder): Promise<unknown>;
}

/**
 * 转运看板: transfer orders by stage — waiting, allocated, vehicle sent, picked up, arrived — the
 * oldest first, each with its need, its wait and the person masked. Each role acts on its own
 * step: command confirms the allocator's bed, the crew reports pick-up and arrival, the facility
 * admits (the server decides who may; dispatching vehicles stays in the API).
 */
export function TransferBoard({ api, session, version }: ScreenProps) {
  const { t, tMaybe } = useI18n();
  const [failure, setFailure] = useState<string | null>(null);
  const board = useRemote(
    async () => {
      const columns = await Promise.all(COLUMNS.map((c) => transfersByStatus(api, c, PER_COLUMN)));
      const byColumn = new Map<Column, TransferOrder[]>(COLUMNS.map((c, i) => [c, columns[i]]));
      const [people, health] = await Promise.all([
        peopleByIds(
          api,
          columns.flat().map((o) => o.personId),
        ),
        api.get<{ now: number }>('/health'),
      ]);
      return { byColumn, people, now: health.now };
    },
    [api],
    version,
  );
  const role = session.user.role;
  const actions: Partial<Record<Column, Action>> = {};
  if (COMMAND.includes(role)) {
    actions.waiting = {
      label: 'transfers.allocate',
      run: (o) => api.post(`/transfers/${o.id}/allocate`, {}),
    };
  }
  if (role === 'transfer') {
    actions.dispatched = {
      label: 'transfers.pickUp',
      run: (o) => api.post('/transfers/pickup', { orderIds: [o.id] }),
    };
    actions.picked_up = {
      label: 'transfers.arrive',
      run: (o) => api.post('/transfers/arrive', { orderIds: [o.id] }),
    };
  }
  if (role === 'facility') {
    actions.arrived = {
      label: 'transfers.admit',
      run: (o) => api.post(`/facilities/${o.facilityId}/admissions`, { orders: [{ orderId: o.id }] }),
    };
  }
  const act = async (action: Action, order: TransferOrder) => {
    setFailure(null);
    try {
      await action.run(order);
      board.reload();
    } catch (e) {
      setFailure(t('transfers.actionFailed', { message: e instanceof ApiError ? e.message : String(e) }));
    }
  };
  const card = (o: TransferOrder, person: Person | undefined, now: number, action: Action | undefined) => (
    <li
      key={o.id}
      className={`transfer-card ${o.unplacedAt != null ? 'unplaced' : ''}`}
      data-testid={`transfer-${o.id}`}
    >
      <div>
        <strong>{person?.name ?? t('work.person', { id: o.personId })}</strong>{' '}
        <span className="muted">{tMaybe(`need.${o.need}`) ?? o.need}</span>
      </div>
      <div className="muted">
        {t('transfers.waited', { hours: Math.max(0, (now - o.foundAt) / 3_600_000).toFixed(1) })}
        {o.vehicle && ` · ${o.vehicle}`}
        {o.unplacedAt != null && ` · ${t('work.noBed')}`}
      </div>
      {action && (
        <button type="button" onClick={() => void act(action, o)} data-testid={`transfer-action-${o.id}`}>
          {t(action.label)}
        </button>
      )}
    </li>
  );
  return (
    <main className="screen" data-testid="transfer-board">
      {failure && <p className="alarm">{failure}</p>}
      {board.error && <p className="alarm">{t('common.error', { message: board.error.message })}</p>}
      <div className="board">
        {COLUMNS.map((column) => {
          const orders = board.data?.byColumn.get(column) ?? [];
          return (
            <Panel
              key={column}
              title={`${t(`transfers.status.${column}`)} · ${orders.length}${orders.length === PER_COLUMN ? '+' : ''}`}
              testId={`column-${column}`}
            >
              <ul className="cards">
                {orders.map((o) =>
                  card(o, board.data?.people.get(o.personId), board.data?.now ?? o.foundAt, actions[column]),
                )}
              </ul>
            </Panel>
          );
        })}
      </div>
    </main>
  );
}
