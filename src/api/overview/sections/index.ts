import type { AnySectionSource } from '../area.ts';
import { cached } from './cache.ts';
import { sectionSources as s } from './sources.ts';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
/** Every section depends on the clock and the rule set: these reach every region. */
const GLOBAL = ['clock.set', 'rules.activated'];

/**
 * Every overview section with a data source. A capability that lands adds its source here in one
 * line (its key and shape are declared in ../contract.ts); the dashboard panel for that key then
 * fills by itself. Each is kept per region and refreshed by the events that change it, or after
 * `maxAgeMs` for what moves with time alone (cache.ts). The longer ages go to the sections whose
 * recount reads millions of rows at city scale (on SQLite a recount holds the one connection),
 * and those are recounted in the background, at most every `minRecountMs`.
 */
export const overviewSections: AnySectionSource[] = [
  // People change only through imports and purges: a recount over every resident is rare.
  cached(s.registry, { changedBy: [...GLOBAL], maxAgeMs: 10 * MINUTE, minRecountMs: 10 * MINUTE }),
  cached(s.alerts, { changedBy: [...GLOBAL, 'alert.'], maxAgeMs: 60 * SECOND }),
  cached(s.control, {
    changedBy: [...GLOBAL, 'control.'],
    maxAgeMs: 30 * SECOND,
    minRecountMs: 10 * SECOND,
  }),
  cached(s.testOrders, {
    changedBy: [...GLOBAL, 'test_order.'],
    maxAgeMs: 30 * SECOND,
    minRecountMs: 10 * SECOND,
  }),
  cached(s.cases, { changedBy: [...GLOBAL, 'case.'], maxAgeMs: 30 * SECOND }),
  cached(s.clearing, { changedBy: [...GLOBAL, 'case.'], maxAgeMs: 60 * SECOND }),
  // Scans publish no event (a citywide round is millions): coverage follows the clock.
  cached(s.coverage, {
    changedBy: [...GLOBAL, 'round.'],
    maxAgeMs: 60 * SECOND,
    minRecountMs: 30 * SECOND,
  }),
  cached(s.stages, {
    changedBy: [...GLOBAL, 'round.', 'box.', 'results.posted', 'transfer.'],
    maxAgeMs: 30 * SECOND,
    minRecountMs: 15 * SECOND,
  }),
  cached(s.transfers, { changedBy: [...GLOBAL, 'transfer.'], maxAgeMs: 10 * SECOND }),
  cached(s.beds, { changedBy: [...GLOBAL, 'facility.', 'transfer.'], maxAgeMs: 60 * SECOND }),
  cached(s.zones, { changedBy: [...GLOBAL, 'zone.'], maxAgeMs: 60 * SECOND }),
  cached(s.contacts, { changedBy: [...GLOBAL, 'control.', 'tracing.'], maxAgeMs: 30 * SECOND }),
];
