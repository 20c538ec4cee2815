// Checks a DeviceProfile's meaning beyond its JSON shape: every rule names a declared point, levels are sane.
import type { DeviceProfile } from './types.ts';

/** Problems a person can fix, empty when the profile is good. */
export function profileProblems(p: DeviceProfile): string[] {
  const problems: string[] = [];
  const keys = new Set<string>();
  for (const pt of p.points) {
    if (keys.has(pt.key)) problems.push(`point "${pt.key}" is declared twice`);
    keys.add(pt.key);
    if (pt.min !== undefined && pt.max !== undefined && pt.min >= pt.max) problems.push(`point "${pt.key}": min must be below max`);
  }
  const types = new Set<string>();
  p.rules.forEach((r, i) => {
    const where = `rules[${i}] (${r.type})`;
    if (types.has(r.type)) problems.push(`${where}: alarm type "${r.type}" is used by two rules`);
    types.add(r.type);
    if (r.kind !== 'offline' && !keys.has(r.point)) problems.push(`${where}: point "${r.point}" is not declared in points`);
    if (r.kind === 'threshold') {
      if (!r.levels.length) problems.push(`${where}: needs at least one level`);
      const sev = new Set<string>();
      for (const l of r.levels) {
        if ((l.above === undefined) === (l.below === undefined)) problems.push(`${where}: each level needs exactly one of above / below`);
        if (sev.has(l.severity)) problems.push(`${where}: severity ${l.severity} appears twice`);
        sev.add(l.severity);
      }
    }
    if (r.kind === 'zone') {
      const c = r.severities?.C ?? 'WARNING', d = r.severities?.D ?? 'MAJOR';
      if (c === d) problems.push(`${where}: zones C and D need different severities`);
    }
    if (r.kind === 'forecast') {
      const of = p.rules.find((o) => o.type === r.of);
      if (!of || of.kind !== 'threshold') problems.push(`${where}: "of" must name a threshold rule of this profile`);
      else if (of.point !== r.point) problems.push(`${where}: point "${r.point}" differs from the point of "${r.of}" (${of.point})`);
      if (!(r.leadTimeS > 0) || !(r.windowS > 0)) problems.push(`${where}: leadTimeS and windowS must be positive`);
    }
  });
  return problems;
}
