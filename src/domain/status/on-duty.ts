import type { PersonStatus } from './compute.ts';

/**
 * The employer's on-duty check (信息比对): may this worker go on duty now? Only a green status
 * allows it — any red or yellow reason (an overdue key-industry test, a contact, a sealed or
 * controlled home) keeps them off — and the answer carries the reasons and nothing else: no
 * name, no dates, no colour history (../SPEC "Identity and scope": employer sees allowed / not and why).
 */
export interface OnDutyAnswer {
  allowed: boolean;
  reasons: { code: string; label: { zh: string; en: string } }[];
}

export function decideOnDuty(status: Pick<PersonStatus, 'colour' | 'reasons'>): OnDutyAnswer {
  return {
    allowed: status.colour === 'green',
    reasons: status.reasons.map((r) => ({ code: r.code, label: r.label })),
  };
}
