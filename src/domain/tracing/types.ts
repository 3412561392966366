/**
 * The words of contact tracing (流调溯源), shared by every layer. Pure: no db, http, clock.
 */

/** 密接 (close contact) or 次密接 (contact of a contact). Same words as the rule set's regimes. */
export const CONTACT_DEGREES = ['close', 'secondary'] as const;
export type ContactDegree = (typeof CONTACT_DEGREES)[number];

/** How the exposure happened. `household` and `floor` are added by rule; `venue` comes from check-ins. */
export const EXPOSURE_KINDS = [
  'household',
  'floor',
  'venue',
  'workplace',
  'transport',
  'social',
  'other',
] as const;
export type ExposureKind = (typeof EXPOSURE_KINDS)[number];

/**
 * A contact's life: `proposed` (co-presence match, awaiting a tracer), `confirmed` (under a plan),
 * `dismissed` (a tracer ruled it out), `became_case` (tested positive; the plan ended and a source
 * link records who infected whom).
 */
export const CONTACT_STATUSES = ['proposed', 'confirmed', 'dismissed', 'became_case'] as const;
export type ContactStatus = (typeof CONTACT_STATUSES)[number];

/** How sure the tracer is that `source` infected `case`. */
export const SOURCE_CERTAINTIES = ['confirmed', 'probable', 'possible'] as const;
export type SourceCertainty = (typeof SOURCE_CERTAINTIES)[number];

/** Why a link exists: the case was a traced contact of the source, a tracer said so, or the case report named it. */
export const SOURCE_BASES = ['contact', 'tracer', 'case_report'] as const;
export type SourceBasis = (typeof SOURCE_BASES)[number];

/**
 * Where a case's infection came from, as far as tracing knows: `linked` (a source link exists),
 * `unknown` (none — flagged: 来源不明 cases matter most), `external` (infected outside the
 * city; a tracer's finding, not a gap).
 */
export const SOURCE_STATUSES = ['linked', 'unknown', 'external'] as const;
export type SourceStatus = (typeof SOURCE_STATUSES)[number];

export const INVESTIGATION_STATUSES = ['open', 'completed'] as const;
export type InvestigationStatus = (typeof INVESTIGATION_STATUSES)[number];

/** Source type written on control episodes and test orders that tracing opens (the contact's id is the source id). */
export const CONTROL_SOURCE: Record<ContactDegree, string> = {
  close: 'tracing.close_contact',
  secondary: 'tracing.secondary_contact',
};

/** Event types tracing publishes (docs/EVENTS.md). */
export const TRACING_EVENTS = {
  investigationOpened: 'tracing.investigation.opened',
  investigationUpdated: 'tracing.investigation.updated',
  investigationCompleted: 'tracing.investigation.completed',
  contactsAdded: 'tracing.contacts.added',
  contactsProposed: 'tracing.contacts.proposed',
  contactConfirmed: 'tracing.contact.confirmed',
  contactDismissed: 'tracing.contact.dismissed',
  contactBecameCase: 'tracing.contact.became_case',
  contactsPushed: 'tracing.contacts.pushed',
  trailPushed: 'tracing.trail.pushed',
  sourceLinked: 'tracing.source.linked',
  unknownSource: 'tracing.case.unknown_source',
  checkinsIngested: 'tracing.checkins.ingested',
} as const;
