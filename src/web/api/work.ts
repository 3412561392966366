import type { z } from 'zod';
import type { alertListResponse } from '../../api/kernel/schema.ts';
import type { OverdueView } from '../../api/compliance/schema.ts';
import type { PersonView } from '../../api/people/schema.ts';
import type { orderListResponse } from '../../api/transfers/schema.ts';
import type { ProposalView } from '../../api/zones/schema.ts';
import type { ApiClient } from './client.ts';

/** The work screens' calls, typed by the server's own response schemas (types only: nothing of zod is bundled). */
export type AlertItem = z.infer<typeof alertListResponse>['items'][number];
export type Proposal = z.infer<typeof ProposalView>;
export type Person = z.infer<typeof PersonView>;
export type TransferOrder = z.infer<typeof orderListResponse>['items'][number];
export type OverdueGroups = z.infer<typeof OverdueView>;
export interface PlaceCard {
  id: number;
  kind: string;
  name: string;
  address: string;
  streetId: number;
}
export interface PoolHold {
  orderId: number;
  dueAt: number;
  overdue: boolean;
  person: Person;
}
export interface ResultsSummary {
  resulted: number;
  unchanged: number;
  negative: number;
  poolPositive: number;
  positive: number;
  invalid: number;
}

export async function listAlerts(
  api: ApiClient,
  state: 'open' | 'acknowledged' | 'resolved',
): Promise<AlertItem[]> {
  return (await api.get<{ items: AlertItem[] }>(`/alerts?state=${state}&limit=200`)).items;
}

export function listProposals(
  api: ApiClient,
  status: 'pending' | 'approved' | 'rejected',
): Promise<Proposal[]> {
  return api.get<Proposal[]>(`/zones/proposals?status=${status}`);
}

export function decideProposal(
  api: ApiClient,
  id: number,
  decision: 'approve' | 'reject',
  reason: string,
): Promise<Proposal> {
  return api.post<Proposal>(`/zones/proposals/${id}/decision`, { decision, reason });
}

export async function placesByIds(api: ApiClient, ids: readonly number[]): Promise<Map<number, PlaceCard>> {
  const unique = [...new Set(ids)].slice(0, 200);
  if (unique.length === 0) return new Map();
  const { items } = await api.get<{ items: PlaceCard[] }>(`/work/places?ids=${unique.join(',')}`);
  return new Map(items.map((p) => [p.id, p]));
}

/** Masked cards of people named by id, as the server masks them (ids outside the area are left out). */
export async function peopleByIds(api: ApiClient, ids: readonly number[]): Promise<Map<number, Person>> {
  const unique = [...new Set(ids)].slice(0, 200);
  if (unique.length === 0) return new Map();
  const { items } = await api.get<{ items: Person[] }>(`/work/people?ids=${unique.join(',')}`);
  return new Map(items.map((p) => [p.id, p]));
}

export function overduePeople(api: ApiClient): Promise<OverdueGroups> {
  return api.get<OverdueGroups>('/compliance/overdue?groupBy=building&limit=200');
}

export async function poolHolds(api: ApiClient): Promise<PoolHold[]> {
  return (await api.get<{ items: PoolHold[] }>('/work/pool-holds?limit=200')).items;
}

export async function transfersByStatus(
  api: ApiClient,
  status: string,
  limit = 50,
): Promise<TransferOrder[]> {
  return (
    await api.get<{ items: TransferOrder[] }>(`/transfers?status=${status}&order=oldest&limit=${limit}`)
  ).items;
}

export function uploadResultsCsv(api: ApiClient, csv: string): Promise<ResultsSummary> {
  return api.postText<ResultsSummary>('/screening/results/csv', csv, 'text/csv');
}
