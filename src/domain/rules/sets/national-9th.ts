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
 * The national protocol, 9th edition (June 2022), with risk areas (../SPEC "Risk areas, rule set
 * national-9th"): high (a case lives there) → medium after 7 days without a new infection, then
 * → low after 3 more; medium (a case stayed there) → low after 7. High maps to the zone level
 * "sealed" and medium to "controlled" wherever a rule speaks of zones.
 */
export const NATIONAL_9TH: RuleBundle = {
  name: 'national-9th',
  version: 1,
  basedOn: null,
  title: { zh: '全国防控方案第九版 风险区', en: 'National protocol, 9th edition (risk areas)' },
  description:
    'High / medium / low risk areas mapped to sealed / controlled / precaution; 9th-edition contacts.',
  pooling: POOLING_SHANGHAI,
  zones: {
    model: 'risk_areas',
    levels: {
      sealed: {
        label: { zh: '高风险区', en: 'High risk' },
        controlKind: 'sealed_residence',
        phases: ['closed'],
      },
      // Two phases because the way out differs: 3 more quiet days after high, 7 days when designated medium.
      controlled: {
        label: { zh: '中风险区', en: 'Medium risk' },
        controlKind: 'controlled_residence',
        phases: ['stepped_down', 'designated'],
      },
      precaution: { label: { zh: '低风险区', en: 'Low risk' }, controlKind: null, phases: ['open'] },
    },
    riskAreaMapping: { high: 'sealed', medium: 'controlled', low: 'precaution' },
    sealUnit: 'compound',
    designation: [
      { level: 'sealed', phase: 'closed', when: { kind: 'positive_lived_within_days', days: 7 } },
      { level: 'controlled', phase: 'stepped_down', when: { kind: 'positive_lived_within_days', days: 10 } },
      { level: 'controlled', phase: 'designated', when: { kind: 'case_stayed_within_days', days: 7 } },
    ],
    onNewPositive: { level: 'sealed', phase: 'closed' },
    onCaseStay: { level: 'controlled', phase: 'designated' },
    transitions: [
      {
        from: { level: 'sealed', phase: 'closed' },
        to: { level: 'controlled', phase: 'stepped_down' },
        when: [{ kind: 'days_without_positive', days: 7 }],
        restartPeriod: true,
      },
      {
        from: { level: 'controlled', phase: 'stepped_down' },
        to: { level: 'precaution', phase: 'open' },
        when: [{ kind: 'days_without_positive', days: 10 }],
        restartPeriod: true,
      },
      {
        from: { level: 'controlled', phase: 'designated' },
        to: { level: 'precaution', phase: 'open' },
        when: [{ kind: 'period_days_completed', days: 7 }],
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
