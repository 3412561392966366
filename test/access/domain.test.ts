import { describe, expect, it } from 'vitest';
import {
  ChainVerifier,
  chainRecords,
  canonicalJson,
  GENESIS_HASH,
  type AuditContent,
  type ChainedRecord,
} from '../../src/domain/access/audit-chain.ts';
import { fullAddress, maskedAddress, maskName, maskPhone } from '../../src/domain/access/masking.ts';
import { decideReveal, type RevealOccasion } from '../../src/domain/access/policy.ts';
import { isPastRetention, parseRetentionDays, retentionCutoff } from '../../src/domain/access/retention.ts';
import type { Role } from '../../src/domain/access/roles.ts';
import { checkNewUser, checkOrganisationKind, checkRegionLevel } from '../../src/domain/access/user-rules.ts';
import { DomainError } from '../../src/domain/errors.ts';

const REASON = 'case follow-up call';

describe('reveal policy (SPEC table)', () => {
  const allowed = (
    role: Role,
    occasion: RevealOccasion,
    fields: ('name' | 'phone' | 'address')[],
    reason: string | null = REASON,
  ) => decideReveal({ role, occasion, fields, reason }).allowed;

  it.each(['admin', 'city_command', 'district_command', 'street_staff', 'tracer'] as const)(
    '%s may reveal name, phone, address in scope with a reason',
    (role) => {
      expect(allowed(role, 'in_scope', ['name', 'phone', 'address'])).toBe(true);
      expect(decideReveal({ role, occasion: 'in_scope', fields: ['name'], reason: null })).toMatchObject({
        allowed: false,
        code: 'reason_required',
        field: 'reason',
      });
      expect(decideReveal({ role, occasion: 'in_scope', fields: ['name'], reason: ' ok ' })).toMatchObject({
        allowed: false,
        code: 'reason_required',
      });
    },
  );

  it.each(['transfer', 'facility'] as const)(
    '%s may reveal name and phone of its own orders only',
    (role) => {
      expect(allowed(role, 'own_order', ['name', 'phone'])).toBe(true);
      expect(
        decideReveal({ role, occasion: 'own_order', fields: ['address'], reason: REASON }),
      ).toMatchObject({ allowed: false, code: 'forbidden', field: 'fields' });
      expect(allowed(role, 'in_scope', ['name'])).toBe(false);
      expect(decideReveal({ role, occasion: 'own_order', fields: ['name'], reason: '' })).toMatchObject({
        code: 'reason_required',
      });
    },
  );

  it('a sampler sees a name only at a scan, the scan being the reason', () => {
    expect(allowed('sampler', 'scan', ['name'], null)).toBe(true);
    expect(allowed('sampler', 'scan', ['phone'])).toBe(false);
    expect(allowed('sampler', 'in_scope', ['name'])).toBe(false);
  });

  it.each(['lab', 'employer'] as const)('%s may reveal nothing', (role) => {
    for (const occasion of ['in_scope', 'own_order', 'scan', 'self'] as const) {
      expect(decideReveal({ role, occasion, fields: ['name'], reason: REASON })).toMatchObject({
        allowed: false,
        code: 'forbidden',
      });
    }
  });

  it("a resident sees their own data, nobody else's", () => {
    expect(allowed('resident', 'self', ['name', 'phone', 'address'], null)).toBe(true);
    expect(allowed('resident', 'in_scope', ['name'])).toBe(false);
  });

  it('nobody may reveal a national id: only its keyed hash exists', () => {
    for (const role of ['admin', 'tracer', 'resident'] as const) {
      const decision = decideReveal({
        role,
        occasion: role === 'resident' ? 'self' : 'in_scope',
        fields: ['national_id'],
        reason: REASON,
      });
      expect(decision).toMatchObject({ allowed: false, code: 'forbidden', field: 'fields' });
    }
  });
});

describe('masking', () => {
  it('keeps a family character, a phone prefix and tail, and the building', () => {
    expect(maskName('张伟')).toBe('张*');
    expect(maskName('欧阳娜娜')).toBe('欧*');
    expect(maskName(null)).toBeNull();
    expect(maskPhone('13800000001')).toBe('138****0001');
    expect(maskPhone('021-1234')).toBe('******34');
    const parts = { building: '贵州路1弄1号', floor: 3, room: '301' };
    expect(maskedAddress(parts)).toBe('贵州路1弄1号');
    expect(fullAddress(parts)).toBe('贵州路1弄1号301室');
    expect(fullAddress({ ...parts, room: null })).toBe('贵州路1弄1号3楼');
  });
});

describe('audit chain', () => {
  const content = (i: number): Omit<AuditContent, 'seq'> => ({
    at: 1000 + i,
    userId: 7,
    username: 'u',
    role: 'tracer',
    action: 'person.read',
    subjectType: 'person',
    subjectIds: [i],
    fields: ['name'],
    reason: null,
    requestId: `r${i}`,
    details: { b: 1, a: [2, { d: null, c: 'x' }] },
  });
  const chain = () => chainRecords({ seq: 0, hash: GENESIS_HASH }, [1, 2, 3, 4].map(content));
  const verify = (records: ChainedRecord[], head: { seq: number; hash: string }) => {
    const v = new ChainVerifier();
    for (const r of records) v.push(r);
    return v.finish(head);
  };

  it('canonical JSON sorts keys at every level', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[1,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('verifies a clean chain and names the first bad record otherwise', () => {
    const { records, head } = chain();
    expect(verify(records, head)).toMatchObject({ ok: true, records: 4 });

    const edited = records.map((r) => (r.seq === 2 ? { ...r, reason: 'forged' } : r));
    expect(verify(edited, head)).toMatchObject({ ok: false, problem: { kind: 'hash_mismatch', seq: 2 } });

    const deleted = records.filter((r) => r.seq !== 3);
    expect(verify(deleted, head)).toMatchObject({ ok: false, problem: { kind: 'missing', seq: 3 } });

    expect(verify(records.slice(0, 3), head)).toMatchObject({
      ok: false,
      problem: { kind: 'missing', seq: 4 },
    });
    expect(verify(records, { seq: 4, hash: 'f'.repeat(64) })).toMatchObject({
      ok: false,
      problem: { kind: 'head_mismatch', seq: 4 },
    });
  });
});

describe('retention and user rules', () => {
  const day = 86_400_000;
  it('a person is past retention 90 days after their last activity', () => {
    const now = 200 * day;
    expect(retentionCutoff(now, 90)).toBe(110 * day);
    expect(isPastRetention({ createdAt: 0, lastActivityAt: null, purgedAt: null }, now, 90)).toBe(true);
    expect(isPastRetention({ createdAt: 0, lastActivityAt: 150 * day, purgedAt: null }, now, 90)).toBe(false);
    expect(isPastRetention({ createdAt: 0, lastActivityAt: null, purgedAt: 5 }, now, 90)).toBe(false);
    expect(parseRetentionDays(undefined)).toBe(90);
    expect(() => parseRetentionDays('0')).toThrow(/CORDON_RETENTION_DAYS/);
  });

  it('names the field when a new user does not fit their role', () => {
    const base = { username: 'zhang.wei', password: 'long enough', role: 'district_command' };
    expect(checkNewUser({ ...base, regionId: 10 })).toBe('district_command');
    const fieldOf = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return (error as DomainError).details[0]?.field;
      }
      return undefined;
    };
    expect(fieldOf(() => checkNewUser({ ...base }))).toBe('regionId');
    expect(fieldOf(() => checkNewUser({ ...base, regionId: 10, personId: 1 }))).toBe('personId');
    expect(fieldOf(() => checkNewUser({ ...base, role: 'lab', regionId: 10 }))).toBe('organisationId');
    expect(fieldOf(() => checkNewUser({ ...base, password: 'short', regionId: 10 }))).toBe('password');
    expect(fieldOf(() => checkNewUser({ ...base, role: 'mayor', regionId: 10 }))).toBe('role');
    expect(fieldOf(() => checkRegionLevel('district_command', 'street'))).toBe('regionId');
    expect(fieldOf(() => checkOrganisationKind('lab', 'workplace'))).toBe('organisationId');
  });
});
