import type { Overview } from '../../api/overview/contract.ts';
import type { ApiClient } from './client.ts';

export type {
  AlertSummary,
  MeasureKey,
  Overview,
  OverviewChild,
  OverviewSections,
} from '../../api/overview/contract.ts';

export function fetchOverview(api: ApiClient, regionId: number | null): Promise<Overview> {
  return api.get<Overview>(regionId == null ? '/overview' : `/overview?regionId=${regionId}`);
}

/** Alert actions of the kernel's alerts API. */
export function acknowledgeAlert(api: ApiClient, id: number): Promise<unknown> {
  return api.post(`/alerts/${id}/acknowledge`);
}

export function resolveAlert(api: ApiClient, id: number, resolution: string): Promise<unknown> {
  return api.post(`/alerts/${id}/resolve`, { resolution });
}
