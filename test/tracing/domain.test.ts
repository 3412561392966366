import { describe, expect, it } from 'vitest';
import { CONTACTS_8TH, CONTACTS_9TH } from '../../src/domain/rules/sets/common.ts';
import { dayOf } from '../../src/domain/time/calendar.ts';
import { chainGraph, clustersOf, mergeClusters } from '../../src/domain/tracing/chains.ts';
import { checkCheckinHeader, parseCheckinRecords, parseInstant } from '../../src/domain/tracing/checkins.ts';
import { coPresenceWindows, matchCoPresence } from '../../src/domain/tracing/copresence.ts';
import {
  exposureWindowStart,
  investigationDeadline,
  isInvestigationOverdue,
} from '../../src/domain/tracing/exposure.ts';
import { quarantinePlan } from '../../src/domain/tracing/quarantine-plan.ts';
import { ruleContactsForCase, type Resident } from '../../src/domain/tracing/rule-contacts.ts';

const TZ = 'Asia/Shanghai';
const at = (iso: string) => Date.parse(iso);
const resident = (personId: number, householdId: number, floor: number | null, placeId = 100): Resident => ({
  personId,
  districtId: 10,
  streetId: 11,
  householdId,
  placeId,
  floor,
});

describe('rule contacts (household close, floor ±1 secondary)', () => {
  const index = resident(1, 1, 3);
  const building = [
    index,
    resident(2, 1, 3),
    resident(3, 2, 3),
    resident(4, 3, 4),
    resident(5, 4, 2),
    resident(6, 5, 5),
    resident(7, 6, 1),
    resident(8, 7, null),
    resident(9, 8, 3, 200),
  ];

  it('adds the household as close and floors 2–4 of the same building as secondary', () => {
    const found = ruleContactsForCase(index, building, CONTACTS_9TH);
    expect(found.map((c) => [c.personId, c.degree, c.kind])).toEqual([
      [2, 'close', 'household'],
      [3, 'secondary', 'floor'],
      [4, 'secondary', 'floor'],
      [5, 'secondary', 'floor'],
    ]);
  });

  it('follows the rule set: no floor rule, no household rule', () => {
    expect(
      ruleContactsForCase(index, building, { householdIsClose: true, floorRadiusUnderLockdown: null }).map(
        (c) => c.personId,
      ),
    ).toEqual([2]);
    expect(
      ruleContactsForCase(index, building, { householdIsClose: false, floorRadiusUnderLockdown: 0 }).map(
        (c) => c.personId,
      ),
    ).toEqual([3]);
  });
});

describe('exposure window and deadline', () => {
  it('counts from the start of the calendar day 4 days before onset, else before the sample', () => {
    const sampled = at('2022-04-13T01:30:00Z'); // 09:30 on the 13th in Shanghai
    expect(exposureWindowStart({ onsetAt: null, sampledAt: sampled }, 4, TZ)).toBe(
      at('2022-04-08T16:00:00Z'),
    ); // 00:00 on the 9th
    const onset = at('2022-04-10T17:00:00Z'); // 01:00 on the 11th
    expect(exposureWindowStart({ onsetAt: onset, sampledAt: sampled }, 4, TZ)).toBe(
      at('2022-04-06T16:00:00Z'),
    );
  });

  it('an open investigation is overdue 24 h after the report, a completed one never', () => {
    const deadline = investigationDeadline(at('2022-04-13T02:00:00Z'));
    expect(deadline).toBe(at('2022-04-14T02:00:00Z'));
    expect(isInvestigationOverdue({ status: 'open', deadlineAt: deadline }, deadline - 1)).toBe(false);
    expect(isInvestigationOverdue({ status: 'open', deadlineAt: deadline }, deadline)).toBe(true);
    expect(isInvestigationOverdue({ status: 'completed', deadlineAt: deadline }, deadline + 1)).toBe(false);
  });
});

describe('quarantine plans by protocol edition', () => {
  const start = at('2022-04-13T06:00:00Z'); // 14:00 on the 13th: day 1
  const days = (plan: ReturnType<typeof quarantinePlan>, phase: string) =>
    plan.tests.filter((t) => t.phase === phase).map((t) => t.day);

  it('9th edition close contact: 7 days central + 3 home, tests on days 1,2,3,5,7 and home day 3', () => {
    const plan = quarantinePlan(CONTACTS_9TH, 'close', start, TZ);
    expect(plan.episodes.map((e) => [e.kind, e.setting, e.firstDay, e.lastDay])).toEqual([
      ['quarantine', 'central', '2022-04-13', '2022-04-19'],
      ['home_monitoring', 'home', '2022-04-20', '2022-04-22'],
    ]);
    expect(plan.episodes[0].fromAt).toBe(start);
    expect(plan.episodes[0].untilAt).toBe(at('2022-04-19T16:00:00Z'));
    expect(days(plan, 'quarantine')).toEqual([
      '2022-04-13',
      '2022-04-14',
      '2022-04-15',
      '2022-04-17',
      '2022-04-19',
    ]);
    expect(days(plan, 'home_monitoring')).toEqual(['2022-04-22']);
    expect(plan.tests[0].dueAt).toBe(at('2022-04-13T16:00:00Z')); // 24:00 of day 1
    expect(plan.needsTransfer).toBe(true);
  });

  it('9th edition contact of a contact: 7 days at home, tests on days 1, 4, 7, no transfer', () => {
    const plan = quarantinePlan(CONTACTS_9TH, 'secondary', start, TZ);
    expect(plan.episodes.map((e) => [e.kind, e.setting])).toEqual([['quarantine', 'home']]);
    expect(days(plan, 'quarantine')).toEqual(['2022-04-13', '2022-04-16', '2022-04-19']);
    expect(plan.needsTransfer).toBe(false);
  });

  it('8th edition close contact: 14 + 7 days, quarantine tests on days 1, 4, 7, 14', () => {
    const plan = quarantinePlan(CONTACTS_8TH, 'close', start, TZ);
    expect(plan.episodes.map((e) => [e.kind, e.firstDay, e.lastDay])).toEqual([
      ['quarantine', '2022-04-13', '2022-04-26'],
      ['home_monitoring', '2022-04-27', '2022-05-03'],
    ]);
    expect(days(plan, 'quarantine')).toEqual(['2022-04-13', '2022-04-16', '2022-04-19', '2022-04-26']);
  });

  it('day 1 is the local calendar day, even late in the evening', () => {
    const late = at('2022-04-13T15:59:00Z'); // 23:59 local
    const plan = quarantinePlan(CONTACTS_9TH, 'close', late, TZ);
    expect(dayOf(late, TZ)).toBe('2022-04-13');
    expect(plan.tests[0].day).toBe('2022-04-13');
  });
});

describe('co-presence windows', () => {
  const t0 = at('2022-04-12T02:00:00Z');
  const min = 60_000;
  it('proposes check-ins within 30 minutes of the case at the same venue, not outside, not elsewhere', () => {
    const windows = coPresenceWindows(
      [{ caseId: 1, casePersonId: 100, venueId: 7, from: t0, until: t0 }],
      30,
    );
    const checkins = [
      { venueId: 7, personId: 100, at: t0 }, // the case itself
      { venueId: 7, personId: 201, at: t0 - 30 * min }, // edge: inside
      { venueId: 7, personId: 202, at: t0 + 29 * min },
      { venueId: 7, personId: 203, at: t0 + 31 * min }, // outside
      { venueId: 8, personId: 204, at: t0 }, // another venue
    ];
    expect(matchCoPresence(windows, checkins).map((m) => m.personId)).toEqual([201, 202]);
  });

  it('merges a case’s overlapping stays at one venue into one window', () => {
    const windows = coPresenceWindows(
      [
        { caseId: 1, casePersonId: 100, venueId: 7, from: t0, until: t0 },
        { caseId: 1, casePersonId: 100, venueId: 7, from: t0 + 20 * min, until: t0 + 40 * min },
        { caseId: 1, casePersonId: 100, venueId: 7, from: t0 + 300 * min, until: t0 + 300 * min },
      ],
      30,
    );
    expect(windows.map((w) => [w.lo, w.hi])).toEqual([
      [t0 - 30 * min, t0 + 70 * min],
      [t0 + 270 * min, t0 + 330 * min],
    ]);
  });
});

describe('chains and clusters on a small known graph', () => {
  // 1 → 2 → 4, 1 → 3; 5 → 6; 7 alone; 8 ↔ 9 contradictory cycle.
  const links = [
    { caseId: 2, sourceCaseId: 1, certainty: 'confirmed' as const },
    { caseId: 3, sourceCaseId: 1, certainty: 'probable' as const },
    { caseId: 4, sourceCaseId: 2, certainty: 'possible' as const },
    { caseId: 6, sourceCaseId: 5, certainty: 'confirmed' as const },
    { caseId: 9, sourceCaseId: 8, certainty: 'possible' as const },
    { caseId: 8, sourceCaseId: 9, certainty: 'possible' as const },
  ];

  it('labels clusters by their smallest case', () => {
    const clusters = clustersOf(links);
    expect([1, 2, 3, 4].map((c) => clusters.get(c))).toEqual([1, 1, 1, 1]);
    expect([5, 6].map((c) => clusters.get(c))).toEqual([5, 5]);
    expect(clusters.has(7)).toBe(false);
  });

  it('draws the chain through a case with generations from the root', () => {
    const chain = chainGraph(4, links);
    expect(chain.roots).toEqual([1]);
    expect(chain.nodes).toEqual([
      { caseId: 1, generation: 0, isRoot: true },
      { caseId: 2, generation: 1, isRoot: false },
      { caseId: 3, generation: 1, isRoot: false },
      { caseId: 4, generation: 2, isRoot: false },
    ]);
    expect(chain.edges).toEqual([
      { from: 1, to: 2, certainty: 'confirmed' },
      { from: 1, to: 3, certainty: 'probable' },
      { from: 2, to: 4, certainty: 'possible' },
    ]);
    expect(chain.truncated).toBe(false);
  });

  it('a case with no links is a chain of one, its own root; a rootless cycle still draws', () => {
    expect(chainGraph(7, links).nodes).toEqual([{ caseId: 7, generation: 0, isRoot: true }]);
    const cycle = chainGraph(9, links);
    expect(cycle.roots).toEqual([]);
    expect(cycle.nodes.map((n) => [n.caseId, n.generation])).toEqual([
      [8, 0],
      [9, 1],
    ]);
  });

  it('cuts a chain at maxNodes, nearest first', () => {
    const chain = chainGraph(1, links, 2);
    expect(chain.truncated).toBe(true);
    expect(chain.nodes).toHaveLength(2);
  });

  it('merging keeps the larger cluster label', () => {
    expect(mergeClusters({ id: 5, size: 2 }, { id: 1, size: 4 })).toEqual({ keep: 1, absorb: 5 });
    expect(mergeClusters({ id: 5, size: 3 }, { id: 9, size: 3 })).toEqual({ keep: 5, absorb: 9 });
  });
});

describe('check-in rows', () => {
  it('accepts epoch ms and ISO instants with an offset, refuses local times', () => {
    expect(parseInstant('1649815200000')).toBe(1649815200000);
    expect(parseInstant('2022-04-13T10:00:00+08:00')).toBe(at('2022-04-13T02:00:00Z'));
    expect(parseInstant('2022-04-13 10:00')).toBeNull();
  });

  it('names the line and the column of every bad value', () => {
    expect(checkCheckinHeader(['venue_id', 'person_id', 'at'])).toBeNull();
    expect(checkCheckinHeader(['person_id', 'venue_id', 'at'])?.line).toBe(1);
    const { checkins, errors } = parseCheckinRecords(
      [
        ['7', '100', '1649815200000'],
        ['x', '100', '1649815200000'],
        ['7', '100', 'yesterday'],
      ],
      [2, 3, 5],
    );
    expect(checkins).toEqual([{ venueId: 7, personId: 100, at: 1649815200000 }]);
    expect(errors.map((e) => [e.line, e.field])).toEqual([
      [3, 'venue_id'],
      [5, 'at'],
    ]);
  });
});
