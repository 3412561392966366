/**
 * One error catalogue (docs/ERRORS.md): every error has a stable code and a sentence a user
 * understands, in Chinese and English. The domain throws DomainError; exactly one HTTP handler
 * (api/error-handler.ts) and one CLI handler turn it into a response.
 */
export const ERROR_CATALOGUE = {
  validation_failed: { status: 400, en: 'The request is not valid', zh: '请求内容不正确' },
  import_failed: {
    status: 422,
    en: 'The file was not imported; nothing was changed',
    zh: '文件未导入，数据未作任何更改',
  },
  unauthenticated: { status: 401, en: 'Log in first', zh: '请先登录' },
  invalid_credentials: { status: 401, en: 'Wrong username or password', zh: '用户名或密码错误' },
  token_expired: { status: 401, en: 'Your session has expired; log in again', zh: '登录已过期，请重新登录' },
  forbidden: { status: 403, en: 'Your role may not do this', zh: '您的角色无权执行此操作' },
  out_of_scope: { status: 404, en: 'Not found in your area', zh: '在您的管辖范围内未找到' },
  reason_required: { status: 400, en: 'Give a reason to see personal data', zh: '查看个人信息须填写理由' },
  not_found: { status: 404, en: 'Not found', zh: '未找到' },
  conflict: { status: 409, en: 'This conflicts with the current state', zh: '与当前状态冲突' },
  invalid_person_code: { status: 400, en: 'This person code is not valid', zh: '个人码无效' },
  expired_person_code: {
    status: 400,
    en: 'This person code has expired; ask for a fresh one',
    zh: '个人码已过期，请刷新',
  },
  rate_limited: { status: 429, en: 'Too many requests; try again shortly', zh: '请求过多，请稍后再试' },
  overloaded: {
    status: 429,
    en: 'The server is busy; retry after the given time',
    zh: '系统繁忙，请稍后重试',
  },
  no_free_bed: {
    status: 409,
    en: 'No free bed fits this transfer; nothing was reserved',
    zh: '没有合适的空余床位，未作预留',
  },
  bed_taken: { status: 409, en: 'That bed is already taken', zh: '该床位已被占用' },
  discharge_criteria_not_met: {
    status: 409,
    en: 'The discharge criteria are not met; give an override reason to discharge anyway',
    zh: '未达到出院（解除隔离）标准；如需出院请填写理由',
  },
  // Screening: what a sampler's device shows for a refused scan (domain/screening/sampler-errors.ts).
  unknown_person: { status: 422, en: 'No person is registered for this code', zh: '个人码对应的人员不存在' },
  round_not_open: { status: 409, en: 'This round is not open for sampling', zh: '本轮筛查不在采样时间内' },
  unknown_round: { status: 404, en: 'This screening round does not exist', zh: '筛查轮次不存在' },
  unknown_site: {
    status: 404,
    en: 'This sampling site does not exist or is not yours',
    zh: '采样点不存在或不属于您的机构',
  },
  tube_full: { status: 409, en: 'This tube is full; start a new tube', zh: '试管已满，请换新管' },
  tube_closed: { status: 409, en: 'This tube is closed; start a new tube', zh: '试管已封管，请换新管' },
  wrong_round: { status: 409, en: 'This tube belongs to another round', zh: '试管属于另一轮筛查' },
  already_sampled: { status: 409, en: 'This person was already sampled this round', zh: '该人员本轮已采样' },
  pool_too_large: {
    status: 409,
    en: 'This person must be sampled in a smaller pool or a single tube',
    zh: '该人员须单管或小混管采样',
  },
  other_household: {
    status: 409,
    en: 'This household tube is already used for another household',
    zh: '一户一管试管已用于另一户',
  },
  no_retest_order: {
    status: 409,
    en: 'This person has no open retest order',
    zh: '该人员没有待复核的复采任务',
  },
  collected_in_future: {
    status: 422,
    en: "The sampling time is later than the server's clock",
    zh: '采样时间晚于服务器时间',
  },
  internal: { status: 500, en: 'Something went wrong on the server', zh: '服务器内部错误' },
} as const satisfies Record<string, { status: number; en: string; zh: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** Where an error is: a field path, a line of a file, or both. */
export interface ErrorDetail {
  field?: string;
  line?: number;
  message: string;
  value?: unknown;
}

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message ?? ERROR_CATALOGUE[code].en);
    this.name = 'DomainError';
  }
}

export function notFound(what: string): DomainError {
  return new DomainError('not_found', `${what} not found`);
}

export function invalid(field: string, message: string, value?: unknown): DomainError {
  return new DomainError('validation_failed', `${field}: ${message}`, [{ field, message, value }]);
}
