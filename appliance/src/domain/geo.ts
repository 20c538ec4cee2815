// Where an engineer is from a phone's position: distance on the earth and the nearest zone with a known place.

const R = 6_371_000; // mean earth radius, metres

/** Great-circle distance in metres (haversine): exact enough at site scale, cheap enough to run per zone. */
export function distanceM(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * The zone whose marked centre is nearest, if it is within `maxM` plus the fix's own accuracy: a phone 2 km away
 * (at home, in the canteen off site) is not "in" any zone, and a coarse fix may still be placed.
 */
export function nearestZone<Z extends { id: string; lat: number | null; lon: number | null }>(zones: Z[], at: { lat: number; lon: number; accuracyM?: number }, maxM: number): { zone: Z; distanceM: number } | null {
  let best: { zone: Z; distanceM: number } | null = null;
  for (const z of zones) {
    if (z.lat === null || z.lon === null) continue;
    const d = distanceM(at, { lat: z.lat, lon: z.lon });
    if (!best || d < best.distanceM) best = { zone: z, distanceM: d };
  }
  return best && best.distanceM <= maxM + (at.accuracyM ?? 0) ? best : null;
}
