import type { SourceCertainty } from './types.ts';

/**
 * Chains of transmission and clusters (传播链 / 聚集性疫情), computed from source links "source
 * infected case". A cluster is a connected component of the links (direction ignored: two cases
 * infected by one source belong together); a chain is that component drawn as a directed graph
 * with each case's generation counted from the cases that have no known source (the roots).
 */

export interface SourceLink {
  caseId: number;
  sourceCaseId: number;
  certainty: SourceCertainty;
}

export interface ChainNode {
  caseId: number;
  /** 0 for a root, 1 for the cases it infected, … (shortest path from any root). */
  generation: number;
  /** No source link into this case: an index case whose own source is still unknown. */
  isRoot: boolean;
}

export interface ChainEdge {
  from: number;
  to: number;
  certainty: SourceCertainty;
}

export interface ChainGraph {
  caseId: number;
  nodes: ChainNode[];
  edges: ChainEdge[];
  roots: number[];
  /** True when the component was larger than `maxNodes` and was cut at that many cases, nearest first. */
  truncated: boolean;
}

/** Disjoint sets with union by size and path halving: near-constant time per link. */
export class UnionFind {
  private parent = new Map<number, number>();
  private size = new Map<number, number>();

  find(x: number): number {
    if (!this.parent.has(x)) {
      this.parent.set(x, x);
      this.size.set(x, 1);
      return x;
    }
    let p = this.parent.get(x)!;
    while (p !== x) {
      const grand = this.parent.get(p)!;
      this.parent.set(x, grand);
      x = p;
      p = this.parent.get(x)!;
    }
    return x;
  }

  union(a: number, b: number): number {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return ra;
    if (this.size.get(ra)! < this.size.get(rb)!) [ra, rb] = [rb, ra];
    this.parent.set(rb, ra);
    this.size.set(ra, this.size.get(ra)! + this.size.get(rb)!);
    return ra;
  }
}

/**
 * Every case's cluster, labelled by the smallest case id in it (stable whatever order the links
 * arrive in). Cases that appear in no link are their own cluster and are not listed.
 */
export function clustersOf(
  links: readonly Pick<SourceLink, 'caseId' | 'sourceCaseId'>[],
): Map<number, number> {
  const uf = new UnionFind();
  for (const l of links) uf.union(l.caseId, l.sourceCaseId);
  const minByRoot = new Map<number, number>();
  const members: number[] = [];
  for (const l of links) members.push(l.caseId, l.sourceCaseId);
  for (const m of members) {
    const r = uf.find(m);
    minByRoot.set(r, Math.min(minByRoot.get(r) ?? m, m));
  }
  const out = new Map<number, number>();
  for (const m of members) out.set(m, minByRoot.get(uf.find(m))!);
  return out;
}

/**
 * Which cluster label survives when a new link joins two clusters: the larger one's (fewer rows to
 * relabel — the store rewrites the smaller side), the older (smaller id) on a tie.
 */
export function mergeClusters(
  a: { id: number; size: number },
  b: { id: number; size: number },
): { keep: number; absorb: number } {
  if (a.id === b.id) return { keep: a.id, absorb: a.id };
  const aWins = a.size > b.size || (a.size === b.size && a.id < b.id);
  return aWins ? { keep: a.id, absorb: b.id } : { keep: b.id, absorb: a.id };
}

/**
 * The chain through `caseId`: its connected component in `links` (which may hold more — e.g. the
 * whole cluster's links), nodes with their generation, edges source → case. Breadth-first over
 * adjacency lists of plain numbers built once, so a 1,000-case chain costs a few thousand array
 * reads. A component with no root (a cycle from contradictory links) takes its smallest case as
 * generation 0.
 */
export function chainGraph(caseId: number, links: readonly SourceLink[], maxNodes = 5000): ChainGraph {
  const children = new Map<number, number[]>();
  const parents = new Map<number, number[]>();
  for (const l of links) {
    if (l.caseId === l.sourceCaseId) continue;
    push(children, l.sourceCaseId, l.caseId);
    push(parents, l.caseId, l.sourceCaseId);
  }
  // The component, nearest first, so a cut keeps what surrounds the asked case.
  const component: number[] = [caseId];
  const inComponent = new Set<number>(component);
  let truncated = false;
  const visit = (next: number) => {
    if (inComponent.has(next)) return;
    if (component.length >= maxNodes) {
      truncated = true;
      return;
    }
    inComponent.add(next);
    component.push(next);
  };
  for (let i = 0; i < component.length; i++) {
    for (const next of children.get(component[i]) ?? []) visit(next);
    for (const next of parents.get(component[i]) ?? []) visit(next);
  }
  const roots = component
    .filter((c) => !(parents.get(c) ?? []).some((p) => inComponent.has(p)))
    .sort((a, b) => a - b);
  const generation = new Map<number, number>();
  const queue = roots.length > 0 ? [...roots] : [Math.min(...component)];
  for (const r of queue) generation.set(r, 0);
  for (let i = 0; i < queue.length; i++) {
    const g = generation.get(queue[i])! + 1;
    for (const child of children.get(queue[i]) ?? []) {
      if (!inComponent.has(child) || generation.has(child)) continue;
      generation.set(child, g);
      queue.push(child);
    }
  }
  const rootSet = new Set(roots);
  const nodes = component
    .map((c) => ({ caseId: c, generation: generation.get(c) ?? 0, isRoot: rootSet.has(c) }))
    .sort((a, b) => a.generation - b.generation || a.caseId - b.caseId);
  const edges: ChainEdge[] = [];
  for (const l of links) {
    if (l.caseId !== l.sourceCaseId && inComponent.has(l.caseId) && inComponent.has(l.sourceCaseId)) {
      edges.push({ from: l.sourceCaseId, to: l.caseId, certainty: l.certainty });
    }
  }
  edges.sort((a, b) => a.from - b.from || a.to - b.to);
  return { caseId, nodes, edges, roots, truncated };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
