// The site map as a graph: zones are nodes, walkways are edges with walking minutes; all-pairs shortest walks.

export interface ZoneLink { a: string; b: string; minutes: number }

/** Shortest walking minutes between every pair of zones; Infinity where no walkway joins them. */
export interface WalkMatrix {
  zones: string[];
  minutes(from: string, to: string): number;
  /** The zone sequence of a shortest walk (both ends included), or null when unreachable. */
  path(from: string, to: string): string[] | null;
}

/**
 * One Dijkstra from a source over an adjacency list. The site map is small (tens of zones), so a linear
 * scan for the nearest unsettled node is simpler than a heap and just as fast at this size.
 */
export function dijkstra(zones: string[], links: ZoneLink[], from: string): { dist: Map<string, number>; prev: Map<string, string> } {
  const adj = adjacency(links);
  const dist = new Map<string, number>(zones.map((z) => [z, Infinity]));
  const prev = new Map<string, string>();
  if (!dist.has(from)) return { dist, prev };
  dist.set(from, 0);
  const done = new Set<string>();
  for (;;) {
    let u: string | null = null;
    let best = Infinity;
    for (const [z, d] of dist) if (!done.has(z) && d < best) { best = d; u = z; }
    if (u === null) break;
    done.add(u);
    for (const [v, w] of adj.get(u) ?? []) {
      if (!dist.has(v)) continue;
      const nd = best + w;
      if (nd < dist.get(v)!) { dist.set(v, nd); prev.set(v, u); }
    }
  }
  return { dist, prev };
}

function adjacency(links: ZoneLink[]): Map<string, [string, number][]> {
  const adj = new Map<string, [string, number][]>();
  const add = (x: string, y: string, m: number) => { const l = adj.get(x) ?? []; l.push([y, m]); adj.set(x, l); };
  // Walkways go both ways.
  for (const l of links) { add(l.a, l.b, l.minutes); add(l.b, l.a, l.minutes); }
  return adj;
}

/** Precomputes every pair: the dispatcher asks thousands of times between map edits. */
export function walkMatrix(zones: string[], links: ZoneLink[]): WalkMatrix {
  const index = new Map(zones.map((z, i) => [z, i]));
  const n = zones.length;
  const dist = new Float64Array(n * n).fill(Infinity);
  const next: (string | undefined)[][] = zones.map(() => []);
  zones.forEach((z, i) => {
    const r = dijkstra(zones, links, z);
    zones.forEach((y, j) => { dist[i * n + j] = r.dist.get(y)!; });
    next[i] = zones.map((y) => (r.dist.get(y)! < Infinity ? r.prev.get(y) : undefined));
  });
  return {
    zones: [...zones],
    minutes(from, to) {
      if (from === to) return 0;
      const i = index.get(from);
      const j = index.get(to);
      return i === undefined || j === undefined ? Infinity : dist[i * n + j];
    },
    path(from, to) {
      const i = index.get(from);
      const j = index.get(to);
      if (i === undefined || j === undefined || dist[i * n + j] === Infinity) return null;
      const out = [to];
      let cur = to;
      while (cur !== from) { cur = next[i][index.get(cur)!]!; out.push(cur); }
      return out.reverse();
    },
  };
}
