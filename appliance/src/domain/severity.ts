// Severity order: the one place that knows CRITICAL outranks WARNING.
import type { Severity } from './types.ts';

const RANK: Record<Severity, number> = { WARNING: 1, MINOR: 2, MAJOR: 3, CRITICAL: 4 };

export const rank = (s: Severity): number => RANK[s];
export const atLeast = (s: Severity, min: Severity): boolean => RANK[s] >= RANK[min];
export const highest = (list: Severity[]): Severity | null =>
  list.reduce<Severity | null>((best, s) => (best === null || RANK[s] > RANK[best] ? s : best), null);
