// Job templates (the checklist an engineer works on site): which template fits a work order, step ranges, completeness, QR codes.

export interface JobStep {
  id: string;
  en: string;
  zh: string;
  /** A point of the asset's device whose live reading is shown beside the step. */
  point?: string;
  /** The band the reading (or the value the engineer types) should be in. */
  expect?: { min?: number; max?: number };
}

export interface JobTemplate {
  id: string;
  name: string;
  /** Every criterion given must match; more matching criteria make a better fit. */
  match: { category?: string; alarmType?: string; assetType?: string };
  steps: JobStep[];
}

export interface JobFacts { category: string; alarmType: string | null; assetType: string | null }

export interface StepProgress { stepId: string; done: boolean; value: number | null; note: string | null; ts: number; by: string }

/**
 * The most specific template that fits: an alarm type counts most (the fault names the procedure), then the asset
 * type (the machine), then the trade. A template naming a criterion that does not match is out.
 */
export function pickTemplate(templates: JobTemplate[], facts: JobFacts): JobTemplate | null {
  let best: JobTemplate | null = null;
  let bestScore = -1;
  for (const t of templates) {
    const m = t.match;
    if (m.alarmType !== undefined && m.alarmType !== facts.alarmType) continue;
    if (m.assetType !== undefined && m.assetType !== facts.assetType) continue;
    if (m.category !== undefined && m.category !== facts.category) continue;
    const score = (m.alarmType !== undefined ? 4 : 0) + (m.assetType !== undefined ? 2 : 0) + (m.category !== undefined ? 1 : 0);
    if (score > bestScore || (score === bestScore && best && t.id < best.id)) { best = t; bestScore = score; }
  }
  return best;
}

/** Where a value sits against the step's expected band: null when the step has no band or there is no value. */
export function stepBand(step: Pick<JobStep, 'expect'>, value: number | null | undefined): 'ok' | 'low' | 'high' | null {
  if (!step.expect || value === null || value === undefined || !Number.isFinite(value)) return null;
  if (step.expect.min !== undefined && value < step.expect.min) return 'low';
  if (step.expect.max !== undefined && value > step.expect.max) return 'high';
  return 'ok';
}

/** Steps not yet ticked off, in checklist order. */
export function missingSteps(steps: JobStep[], progress: StepProgress[]): string[] {
  const done = new Set(progress.filter((p) => p.done).map((p) => p.stepId));
  return steps.filter((s) => !done.has(s.id)).map((s) => s.id);
}

/** Problems with a template a person wrote (empty when it is usable). */
export function templateProblems(t: JobTemplate): string[] {
  const out: string[] = [];
  if (!t.steps.length) out.push('a template needs at least one step');
  const ids = new Set<string>();
  for (const s of t.steps) {
    if (ids.has(s.id)) out.push(`step id "${s.id}" is used twice`);
    ids.add(s.id);
    if (s.expect?.min !== undefined && s.expect.max !== undefined && s.expect.min > s.expect.max) out.push(`step "${s.id}": expect.min is above expect.max`);
    if (s.expect && !s.point) out.push(`step "${s.id}": an expected range needs the point it applies to`);
  }
  return out;
}

/**
 * A check-in code as scanned: the label's whole URL (`<box>/engineer/#/checkin/<assetId>.<token>`) or just
 * `<assetId>.<token>`. Asset ids have no dots, so the last dot splits them.
 */
export function parseCheckinCode(code: string): { assetId: string; token: string } | null {
  const s = code.trim();
  const m = /#\/checkin\/([^/?#\s]+)$/.exec(s);
  const part = m ? decodeURIComponent(m[1]) : s;
  const dot = part.lastIndexOf('.');
  if (dot <= 0 || dot === part.length - 1) return null;
  const assetId = part.slice(0, dot);
  const token = part.slice(dot + 1);
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(assetId) || !/^[A-Za-z0-9_-]{8,64}$/.test(token)) return null;
  return { assetId, token };
}
