import type { RuleBundle } from '../schema.ts';
import {
  COMMUNITY_APRIL_2022,
  COMPLIANCE_DEFAULT,
  CONTACTS_9TH,
  DISCHARGE_DEFAULT,
  POOLING_SHANGHAI,
  SAME_DAY_DEFAULT,
  STATUS_DEFAULT,
} from './common.ts';

/**
 * Shanghai's three-zone rules of 11 April 2022 (../SPEC "Zones, rule set shanghai-2022-04-11"):
 * sealed = a positive in the last 7 days, 7 days closed + 7 days home monitoring, released to
 * precaution only with no positive in 14 days and everyone negative on day 13; controlled = no
 * positive in 7 days, 7 days monitoring, to precaution if everyone negative on day 6.
 */
export const SHANGHAI_2022_04_11: RuleBundle = {
  name: 'shanghai-2022-04-11',
  version: 1,
  basedOn: null,
  title: { zh: '上海 2022年4月11日 三区划分', en: 'Shanghai, 11 April 2022 (three zones)' },
  description:
    'Sealed / controlled / precaution zones as announced on 11 April 2022; 9th-edition contact numbers; controlled residence still counts as inside control (April reporting).',
  pooling: POOLING_SHANGHAI,
  zones: {
    model: 'three_zones',
    levels: {
      sealed: {
        label: { zh: '封控区', en: 'Sealed' },
        controlKind: 'sealed_residence',
        phases: ['closed', 'home_monitoring'],
      },
      controlled: {
        label: { zh: '管控区', en: 'Controlled' },
        controlKind: 'controlled_residence',
        phases: ['monitoring'],
      },
      precaution: { label: { zh: '防范区', en: 'Precaution' }, controlKind: null, phases: ['open'] },
    },
    riskAreaMapping: null,
    sealUnit: 'compound',
    designation: [
      { level: 'sealed', phase: 'closed', when: { kind: 'positive_lived_within_days', days: 7 } },
      { level: 'controlled', phase: 'monitoring', when: { kind: 'positive_lived_within_days', days: 14 } },
    ],
    onNewPositive: { level: 'sealed', phase: 'closed' },
    onCaseStay: null,
    transitions: [
      {
        // "no new positive in days 1–7" → home-monitoring phase (days 8–14); the day count carries on.
        from: { level: 'sealed', phase: 'closed' },
        to: { level: 'sealed', phase: 'home_monitoring' },
        when: [{ kind: 'period_days_completed', days: 7 }, { kind: 'no_positive_in_period' }],
        restartPeriod: false,
      },
      {
        from: { level: 'sealed', phase: 'home_monitoring' },
        to: { level: 'precaution', phase: 'open' },
        when: [
          { kind: 'period_days_completed', days: 14 },
          { kind: 'no_positive_in_period' },
          { kind: 'everyone_negative_on_day', day: 13 },
        ],
        restartPeriod: true,
      },
      {
        from: { level: 'controlled', phase: 'monitoring' },
        to: { level: 'precaution', phase: 'open' },
        when: [
          { kind: 'period_days_completed', days: 7 },
          { kind: 'no_positive_in_period' },
          { kind: 'everyone_negative_on_day', day: 6 },
        ],
        restartPeriod: true,
      },
    ],
    buildingStaysSealed: {
      duringPhase: 'closed',
      untilPeriodDay: 14,
      restOfCompoundTo: { level: 'controlled', phase: 'monitoring' },
    },
    autoApply: false,
  },
  contacts: CONTACTS_9TH,
  community: COMMUNITY_APRIL_2022,
  status: STATUS_DEFAULT,
  compliance: COMPLIANCE_DEFAULT,
  discharge: DISCHARGE_DEFAULT,
  sameDay: SAME_DAY_DEFAULT,
};
