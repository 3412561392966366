import { controlKindsAt, type ControlEpisode, type ControlKind } from '../kernel/control-episodes.ts';
import type { CommunitySection } from '../rules/schema.ts';
import type { Classification } from './case.ts';

export interface CaseClassification {
  classification: Classification;
  /** Every control kind active at the sampling instant (also those that do not count). */
  activeKinds: ControlKind[];
  /** The active kinds that made the case inside control under this rule set. */
  countingKinds: ControlKind[];
}

/**
 * 社会面 classification (../SPEC "Rules: 社会面清零"): a case is found inside closed-loop control
 * iff, at the moment of sampling, the person had an active control episode of a kind the active
 * rule set counts (May 2022: quarantine, isolation, sealed residence, pool hold; April 2022 also
 * controlled residence). Everyone else — precaution zones, controlled zones where they do not
 * count, people under no control — is a community (社会面) case. Dated by sampling, not result.
 */
export function classifyCase(
  episodes: readonly Pick<ControlEpisode, 'kind' | 'from' | 'until'>[],
  sampledAt: number,
  community: Pick<CommunitySection, 'insideControlKinds'>,
): CaseClassification {
  const activeKinds = controlKindsAt(episodes, sampledAt);
  const countingKinds = activeKinds.filter((k) => community.insideControlKinds.includes(k));
  return {
    classification: countingKinds.length > 0 ? 'inside_control' : 'community',
    activeKinds,
    countingKinds,
  };
}

/** 社会面 — found outside closed-loop management. */
export function isCommunityCase(c: { classification: Classification }): boolean {
  return c.classification === 'community';
}
