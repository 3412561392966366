import type { AnySectionSource } from '../area.ts';
import type { SectionKey } from '../contract.ts';
import { alertsSection } from './alerts.ts';
import { bedsSection } from './beds.ts';
import { casesSection } from './cases.ts';
import { clearingSection } from './clearing.ts';
import { contactsSection } from './contacts.ts';
import { controlSection } from './control.ts';
import { coverageSection } from './coverage.ts';
import { registrySection } from './registry.ts';
import { stagesSection } from './stages.ts';
import { testOrdersSection } from './test-orders.ts';
import { transfersSection } from './transfers.ts';
import { zonesSection } from './zones.ts';

/** Every section's own count, uncached, by key: what the cache keeps and the recount worker runs. */
export const sectionSources = {
  registry: registrySection,
  alerts: alertsSection,
  control: controlSection,
  testOrders: testOrdersSection,
  cases: casesSection,
  clearing: clearingSection,
  coverage: coverageSection,
  stages: stagesSection,
  transfers: transfersSection,
  beds: bedsSection,
  zones: zonesSection,
  contacts: contactsSection,
} satisfies { [K in SectionKey]: AnySectionSource & { key: K } };
