import type { ComplianceSection, StatusReasonCode, StatusSection } from '../rules/schema.ts';
import { addDays, dayOf, startOfDay } from '../time/calendar.ts';
import { SECONDARY_CONTACT_SOURCE, type ExemptionInput, type StatusInputs } from './inputs.ts';

/**
 * A person's status (健康码颜色) at an instant, by the rule set's status section: every
 * applicable reason with its colour and since when; the worst colour wins (../SPEC "Status
 * colours"). Pure and cheap: it runs on every look-up, so a deadline that passed a second ago
 * already shows — no nightly batch.
 */
export type StatusColour = 'red' | 'yellow' | 'green';

export interface StatusReason {
  code: StatusReasonCode;
  colour: 'red' | 'yellow';
  label: { zh: string; en: string };
  /** When the cause began (an episode's start, a deadline, an arrival). */
  since: number;
  /** When it ends by itself, if known (a planned episode end, the end of an arrival window). */
  until: number | null;
}

export interface WaivedReason extends StatusReason {
  exemption: { id: number; kind: string; note: string; until: number };
}

export interface PersonStatus {
  colour: StatusColour;
  reasons: StatusReason[];
  /** Reasons an authorised user has exempted for now (the correction path). */
  waived: WaivedReason[];
  /** The next instant at which the clock alone changes the status (for caches); null = none known. */
  changesAt: number | null;
}

export interface StatusRules {
  status: StatusSection;
  compliance: Pick<ComplianceSection, 'graceHours'>;
  timeZone: string;
}

type Found = { code: StatusReasonCode; since: number; until: number | null };

function active(from: number, until: number | null, now: number): boolean {
  return from <= now && (until == null || now < until);
}

/** Every cause present at `now`, before the rule set switches any off or colours them. */
function causes(
  inputs: StatusInputs,
  rules: StatusRules,
  now: number,
): { found: Found[]; upcoming: number[] } {
  const found: Found[] = [];
  const upcoming: number[] = [];
  const note = (t: number | null) => {
    if (t != null && t > now) upcoming.push(t);
  };
  for (const e of inputs.episodes) {
    note(e.from);
    if (!active(e.from, e.until, now)) continue;
    note(e.until);
    const at = { since: e.from, until: e.until };
    if (e.sourceType === SECONDARY_CONTACT_SOURCE) {
      found.push({ code: 'secondary_contact', ...at });
      continue;
    }
    switch (e.kind) {
      case 'isolation':
        found.push({ code: 'confirmed_case', ...at });
        break;
      case 'quarantine':
        found.push({ code: 'close_contact_in_quarantine', ...at });
        break;
      case 'pool_hold':
        found.push({ code: 'pool_positive_awaiting_retest', ...at });
        break;
      case 'sealed_residence':
        found.push({ code: 'lives_in_sealed_place', ...at });
        break;
      case 'controlled_residence':
        found.push({ code: 'lives_in_controlled_place', ...at });
        break;
      case 'home_monitoring':
        // Home health monitoring after quarantine is not a colour of its own in SPEC's list.
        break;
    }
  }
  // A case is red until discharged from the moment it is reported, before any isolation episode
  // (which opens only at admission).
  for (const c of inputs.liveCases) found.push({ code: 'confirmed_case', since: c.reportedAt, until: null });
  const graceMs = rules.compliance.graceHours * 3_600_000;
  for (const o of inputs.orders) {
    if (o.reason === 'pool_retest') {
      found.push({ code: 'pool_positive_awaiting_retest', since: o.notBefore, until: null });
    } else if (o.reason === 'screening_duty') {
      const late = o.dueAt + graceMs;
      // 应检未检: strictly past the deadline (a test at the deadline itself is on time).
      if (now > late) found.push({ code: 'screening_overdue', since: late, until: null });
      else upcoming.push(late + 1);
    }
  }
  const levels = rules.status.arrivalFromLevels as readonly string[];
  for (const a of inputs.arrivals) {
    if (!levels.includes(a.fromLevel)) continue;
    // Day 1 is the arrival day; the window's last day is day N, so it clears at the start of day N + 1.
    const until = startOfDay(
      addDays(dayOf(a.arrivedAt, rules.timeZone), rules.status.arrivalWindowDays),
      rules.timeZone,
    );
    note(a.arrivedAt);
    if (active(a.arrivedAt, until, now)) {
      found.push({ code: 'arrived_from_risk_area', since: a.arrivedAt, until });
      note(until);
    }
  }
  for (const x of inputs.exemptions) {
    note(x.from);
    note(x.until);
  }
  return { found, upcoming };
}

export function computeStatus(inputs: StatusInputs, rules: StatusRules, now: number): PersonStatus {
  const { found, upcoming } = causes(inputs, rules, now);
  const merged = new Map<StatusReasonCode, Found>();
  for (const f of found) {
    const prev = merged.get(f.code);
    // One line per reason: the earliest start, and the latest known end (null = open-ended).
    if (!prev) merged.set(f.code, { ...f });
    else {
      merged.set(f.code, {
        code: f.code,
        since: Math.min(prev.since, f.since),
        until: prev.until == null || f.until == null ? null : Math.max(prev.until, f.until),
      });
    }
  }
  const reasons: StatusReason[] = [];
  const waived: WaivedReason[] = [];
  for (const spec of rules.status.reasons) {
    const f = merged.get(spec.code);
    if (!f || !spec.enabled) continue;
    const reason: StatusReason = {
      code: spec.code,
      colour: spec.colour,
      label: spec.label,
      since: f.since,
      until: f.until,
    };
    const exemption = exemptionFor(inputs.exemptions, spec.code, now);
    if (exemption) {
      waived.push({
        ...reason,
        exemption: { id: exemption.id, kind: exemption.kind, note: exemption.note, until: exemption.until },
      });
    } else reasons.push(reason);
  }
  const colour = worst(
    reasons.map((r) => r.colour),
    rules.status.precedence,
  );
  return { colour, reasons, waived, changesAt: upcoming.length ? Math.min(...upcoming) : null };
}

function exemptionFor(
  exemptions: readonly ExemptionInput[],
  code: string,
  now: number,
): ExemptionInput | undefined {
  return exemptions.find((x) => x.reasonCode === code && x.from <= now && now < x.until);
}

function worst(
  colours: readonly ('red' | 'yellow')[],
  precedence: StatusSection['precedence'],
): StatusColour {
  for (const c of precedence) if (c !== 'green' && colours.includes(c)) return c;
  return 'green';
}

/** A short, stable signature of a status (colour and reason codes) for history and caches. */
export function statusSignature(s: Pick<PersonStatus, 'colour' | 'reasons'>): string {
  return `${s.colour}:${s.reasons
    .map((r) => r.code)
    .sort()
    .join(',')}`;
}
