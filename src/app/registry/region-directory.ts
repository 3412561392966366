import type { Kysely } from 'kysely';
import type { Database, RegionTable } from '../../store/schema.ts';

export interface RegionNode {
  id: number;
  parentId: number | null;
  level: RegionTable['level'];
  name: string;
  nameEn: string;
  districtId: number | null;
  streetId: number | null;
  population: number;
  code: string;
  /** Label position (centroid); null for committees, which have no shape. */
  lng: number | null;
  lat: number | null;
}

/**
 * The region tree in memory (a city has a few thousand regions): ancestors for event addressing
 * and scope checks, descendants for scoped queries. Reload after the tree changes.
 */
export class RegionDirectory {
  private byId = new Map<number, RegionNode>();
  private children = new Map<number, number[]>();

  static async load(db: Kysely<Database>): Promise<RegionDirectory> {
    const directory = new RegionDirectory();
    await directory.reload(db);
    return directory;
  }

  async reload(db: Kysely<Database>): Promise<void> {
    const rows = await db
      .selectFrom('regions')
      .select([
        'id',
        'parent_id',
        'level',
        'name',
        'name_en',
        'district_id',
        'street_id',
        'population',
        'code',
        'lng',
        'lat',
      ])
      .execute();
    this.byId = new Map();
    this.children = new Map();
    for (const r of rows) {
      this.byId.set(r.id, {
        id: r.id,
        parentId: r.parent_id,
        level: r.level,
        name: r.name,
        nameEn: r.name_en,
        districtId: r.district_id,
        streetId: r.street_id,
        population: r.population,
        code: r.code,
        lng: r.lng,
        lat: r.lat,
      });
      if (r.parent_id != null) {
        const list = this.children.get(r.parent_id) ?? [];
        list.push(r.id);
        this.children.set(r.parent_id, list);
      }
    }
  }

  get(id: number): RegionNode | undefined {
    return this.byId.get(id);
  }

  all(): RegionNode[] {
    return [...this.byId.values()];
  }

  /** The region and its ancestors up to the city, leaf first. */
  ancestry(id: number): number[] {
    const out: number[] = [];
    let node = this.byId.get(id);
    while (node) {
      out.push(node.id);
      node = node.parentId == null ? undefined : this.byId.get(node.parentId);
    }
    return out;
  }

  /** Leaf regions plus every ancestor, without repeats. */
  expand(regionIds: readonly number[]): number[] {
    const out = new Set<number>();
    for (const id of regionIds) for (const a of this.ancestry(id)) out.add(a);
    return [...out];
  }

  childrenOf(id: number): RegionNode[] {
    return (this.children.get(id) ?? []).map((c) => this.byId.get(c)!);
  }

  /** Every region in the subtree, including the root. */
  subtree(id: number): number[] {
    const out: number[] = [];
    const stack = [id];
    while (stack.length) {
      const next = stack.pop()!;
      if (!this.byId.has(next)) continue;
      out.push(next);
      for (const c of this.children.get(next) ?? []) stack.push(c);
    }
    return out;
  }

  isWithin(regionId: number, ancestorId: number): boolean {
    return this.ancestry(regionId).includes(ancestorId);
  }

  districts(): RegionNode[] {
    return this.all().filter((r) => r.level === 'district');
  }

  city(): RegionNode | undefined {
    return this.all().find((r) => r.level === 'city');
  }
}
