/**
 * Row types for the columns and table that migration 0003_kernel adds, merged into the shared
 * `Database` interface by declaration merging so the kernel's queries are typed without editing
 * store/schema.ts from this folder. (They belong in schema.ts; move them there when convenient.)
 */
export interface AlertRegionTable {
  region_id: number;
  alert_id: number;
}

declare module '../../../store/schema.ts' {
  interface TestOrderTable {
    /** Earliest sampling instant that can answer the order (null = its creation). */
    not_before_at: number | null;
    /** When the clock found it open past its due time (`test_order.overdue` published). */
    overdue_at: number | null;
    /** Reference of the result that fulfilled it (e.g. `tube:SH123:result`). */
    fulfilled_by: string | null;
    cancelled_reason: string | null;
  }
  interface Database {
    alert_regions: AlertRegionTable;
  }
}
