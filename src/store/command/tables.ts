/** Row types of migration 0050_command, registered in store/schema.ts `Database`. */
export interface BulletinTable {
  /** 'YYYY-MM-DD' in the deployment's zone. */
  day: string;
  issued_at: number;
  /** name@version of the rule set in force when issued. */
  rule_set: string;
  /** The bulletin as published (domain/command/bulletin.ts `Bulletin`), JSON. */
  document: string;
}

export interface CommandSiteHourTable {
  site_id: number;
  /** Epoch hour: floor(collected_at / 3,600,000). */
  hour: number;
  district_id: number;
  scans: number;
}

export interface CommandWatermarkTable {
  name: string;
  value: number;
}
