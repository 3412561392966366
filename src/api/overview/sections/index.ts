import type { AnySectionSource } from '../area.ts';
import { alertsSection } from './alerts.ts';
import { controlSection } from './control.ts';
import { registrySection } from './registry.ts';
import { testOrdersSection } from './test-orders.ts';

/**
 * Every overview section with a data source today. A capability that lands adds its source here
 * in one line (its key and shape are declared in ../contract.ts); the dashboard panel for that
 * key then fills by itself.
 */
export const overviewSections: AnySectionSource[] = [
  registrySection,
  alertsSection,
  controlSection,
  testOrdersSection,
];
