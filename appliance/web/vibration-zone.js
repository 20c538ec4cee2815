// ISO 10816-3 vibration zones in the browser, so a live reading shows its zone at once. The table mirrors
// appliance/src/domain/vibration-zones.ts (ISO 10816-3:2009 Annex A, Tables A.1 and A.2); a test keeps them equal.

export const ISO_10816_3 = {
  1: { rigid: { AB: 2.3, BC: 4.5, CD: 7.1 }, flexible: { AB: 3.5, BC: 7.1, CD: 11.0 } },
  2: { rigid: { AB: 1.4, BC: 2.8, CD: 4.5 }, flexible: { AB: 2.3, BC: 4.5, CD: 7.1 } },
};

export function vibrationZone(v, group, foundation) {
  const b = ISO_10816_3[group]?.[foundation];
  if (!b || v == null) return null;
  return v >= b.CD ? 'D' : v >= b.BC ? 'C' : v >= b.AB ? 'B' : 'A';
}

/** The zone of a point's value when one of the profile's rules is a zone rule on that point, else null. */
export function pointZone(profile, point, value) {
  const rule = (profile?.rules ?? []).find((r) => r.kind === 'zone' && r.point === point);
  return rule ? vibrationZone(value, rule.machineGroup, rule.foundation) : null;
}
