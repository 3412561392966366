/**
 * What a sampler's device shows when a scan is refused (采样终端提示). Each reason has a stable
 * code and a sentence in Chinese and English that says what to do, with the facts that matter
 * (which tube the person is already in, which round a tube belongs to). The codes are also in
 * the error catalogue (domain/errors.ts) for the single-scan route.
 */
export const SCAN_REJECTIONS = {
  invalid_person_code: {
    zh: () => '个人码无效，请让受检者重新出示',
    en: () => 'This person code is not valid; ask the person to show it again',
  },
  expired_person_code: {
    zh: () => '个人码已过期，请让受检者刷新后重新出示',
    en: () => 'This person code has expired; ask the person to refresh it',
  },
  unknown_person: {
    zh: () => '个人码对应的人员不存在，请核实登记信息',
    en: () => 'No person is registered for this code; check their registration',
  },
  round_not_open: {
    zh: (p: Params) => `本轮筛查（${p.round ?? ''}）不在采样时间内`,
    en: (p: Params) => `Round ${p.round ?? ''} is not open for sampling at this time`,
  },
  unknown_round: {
    zh: (p: Params) => `筛查轮次 ${p.round ?? ''} 不存在`,
    en: (p: Params) => `Round ${p.round ?? ''} does not exist`,
  },
  unknown_site: {
    zh: (p: Params) => `采样点 ${p.site ?? ''} 不存在或不属于您的机构`,
    en: (p: Params) => `Sampling site ${p.site ?? ''} does not exist or is not your organisation's`,
  },
  tube_full: {
    zh: (p: Params) => `试管 ${p.tube} 已满（${p.capacity} 人），请换新管`,
    en: (p: Params) => `Tube ${p.tube} is full (${p.capacity} people); start a new tube`,
  },
  tube_closed: {
    zh: (p: Params) => `试管 ${p.tube} 已封管，请换新管`,
    en: (p: Params) => `Tube ${p.tube} is closed; start a new tube`,
  },
  wrong_round: {
    zh: (p: Params) => `试管 ${p.tube} 属于另一轮筛查（${p.round}），请换本轮试管`,
    en: (p: Params) => `Tube ${p.tube} belongs to another round (${p.round}); use a tube of this round`,
  },
  already_sampled: {
    zh: (p: Params) => `该人员本轮已在试管 ${p.tube} 采样，无需重复采样`,
    en: (p: Params) => `This person was already sampled this round in tube ${p.tube}`,
  },
  pool_too_large: {
    zh: (p: Params) =>
      `该人员须${p.size === 1 ? '单管' : `${p.size}混1`}采样（${p.reason}），不能放入 ${p.capacity} 混 1 试管`,
    en: (p: Params) =>
      `This person must be sampled ${p.size === 1 ? 'in a single tube' : `in pools of at most ${p.size}`} (${p.reason}), not in a ${p.capacity}-person tube`,
  },
  other_household: {
    zh: (p: Params) => `试管 ${p.tube} 为一户一管，已用于另一户，请换新管`,
    en: (p: Params) =>
      `Tube ${p.tube} is a household tube already used for another household; start a new tube`,
  },
  no_retest_order: {
    zh: (p: Params) => `该人员没有待复核的单管复采任务，不能放入复采管 ${p.tube}`,
    en: (p: Params) => `This person has no open retest or resample order; tube ${p.tube} is for retests only`,
  },
  collected_in_future: {
    zh: () => '采样时间晚于服务器时间，请校准设备时钟',
    en: () => "The sampling time is later than the server's clock; correct the device's clock",
  },
} as const satisfies Record<string, { zh: (p: Params) => string; en: (p: Params) => string }>;

export type ScanRejectionCode = keyof typeof SCAN_REJECTIONS;

export interface Params {
  tube?: string;
  round?: string | number;
  site?: number;
  capacity?: number;
  size?: number;
  reason?: string;
}

export interface ScanRejection {
  code: ScanRejectionCode;
  params: Params;
}

export function rejection(code: ScanRejectionCode, params: Params = {}): ScanRejection {
  return { code, params };
}

export function rejectionMessage(r: ScanRejection, language: 'zh' | 'en'): string {
  const entry = SCAN_REJECTIONS[r.code];
  return language === 'en' ? entry.en(r.params) : entry.zh(r.params);
}
