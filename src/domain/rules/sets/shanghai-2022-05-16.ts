import type { RuleBundle } from '../schema.ts';
import {
  COMMUNITY_MAY_2022,
  COMPLIANCE_DEFAULT,
  CONTACTS_9TH,
  DISCHARGE_DEFAULT,
  POOLING_SHANGHAI,
  SAME_DAY_DEFAULT,
  STATUS_DEFAULT,
} from './common.ts';

/**
 * Shanghai's rules from 16 May 2022 (../SPEC "Zones, rule set shanghai-2022-05-16"): sealed →
 * controlled after 7 consecutive days without a new positive, controlled → precaution after 3
 * more; 社会面 = controlled and precaution zones plus people not under control.
 */
export const SHANGHAI_2022_05_16: RuleBundle = {
  name: 'shanghai-2022-05-16',
  version: 1,
  basedOn: null,
  title: { zh: '上海 2022年5月16日 分阶段解封', en: 'Shanghai, 16 May 2022 (step-down)' },
  description:
    'Seven quiet days step sealed down to controlled, three more to precaution; 9th-edition contact numbers; May 社会面 definition.',
  pooling: POOLING_SHANGHAI,
  zones: {
    model: 'three_zones',
    levels: {
      sealed: { label: { zh: '封控区', en: 'Sealed' }, controlKind: 'sealed_residence', phases: ['closed'] },
      controlled: {
        label: { zh: '管控区', en: 'Controlled' },
        controlKind: 'controlled_residence',
        phases: ['monitoring'],
      },
      precaution: { label: { zh: '防范区', en: 'Precaution' }, controlKind: null, phases: ['open'] },
    },
    riskAreaMapping: null,
    sealUnit: 'compound',
    // A place first seen with a positive 8–10 days ago is where the step-down chain would have put it.
    designation: [
      { level: 'sealed', phase: 'closed', when: { kind: 'positive_lived_within_days', days: 7 } },
      { level: 'controlled', phase: 'monitoring', when: { kind: 'positive_lived_within_days', days: 10 } },
    ],
    onNewPositive: { level: 'sealed', phase: 'closed' },
    onCaseStay: null,
    transitions: [
      {
        from: { level: 'sealed', phase: 'closed' },
        to: { level: 'controlled', phase: 'monitoring' },
        when: [{ kind: 'days_without_positive', days: 7 }],
        restartPeriod: true,
      },
      {
        // "after 3 more": 7 + 3 quiet days counted from the same last positive.
        from: { level: 'controlled', phase: 'monitoring' },
        to: { level: 'precaution', phase: 'open' },
        when: [{ kind: 'days_without_positive', days: 10 }],
        restartPeriod: true,
      },
    ],
    buildingStaysSealed: null,
    autoApply: false,
  },
  contacts: CONTACTS_9TH,
  community: COMMUNITY_MAY_2022,
  status: STATUS_DEFAULT,
  compliance: COMPLIANCE_DEFAULT,
  discharge: DISCHARGE_DEFAULT,
  sameDay: SAME_DAY_DEFAULT,
};
