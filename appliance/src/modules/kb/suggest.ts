// Which articles a work order is offered: exact tag matches (fault code, asset model, alarm type, asset type) weighed
// with the full-text rank of the alarm's words. Pure, so the weights sit in one table with their tests.
import type { KbTags } from './markdown.ts';

/** kb_tags.kind for each tag field. */
export const TAG_KINDS: [string, keyof KbTags][] = [
  ['asset_type', 'assetTypes'], ['asset_model', 'assetModels'], ['fault_code', 'faultCodes'], ['alarm_type', 'alarmTypes'], ['trade', 'trades'], ['part', 'parts'],
];

/**
 * A fault code the device reported names the fault itself; the model narrows to the right manual; the alarm type says
 * what the box saw; the asset type only says which family of manuals applies.
 */
export const TAG_WEIGHTS: Record<string, number> = { fault_code: 8, asset_model: 4, alarm_type: 4, asset_type: 2 };
/** The best full-text hit is worth as much as an alarm-type tag, falling off linearly down the list. */
export const TEXT_WEIGHT = 4;

export interface TagHit { articleId: number; kind: string; value: string }

export function rankSuggestions(tagHits: TagHit[], textRanked: number[], limit: number): { articleId: number; score: number; why: string[] }[] {
  const acc = new Map<number, { score: number; why: string[]; kinds: Set<string> }>();
  const entry = (id: number) => acc.get(id) ?? acc.set(id, { score: 0, why: [], kinds: new Set() }).get(id)!;
  for (const h of tagHits) {
    const e = entry(h.articleId);
    const key = `${h.kind}:${h.value}`;
    if (e.kinds.has(key)) continue;
    e.kinds.add(key);
    e.score += TAG_WEIGHTS[h.kind] ?? 0;
    e.why.push(key);
  }
  textRanked.forEach((id, i) => {
    const e = entry(id);
    e.score += TEXT_WEIGHT * (1 - i / Math.max(textRanked.length, 1));
    e.why.push(`text:${i + 1}`);
  });
  // A text-only match of an unrelated asset type's article is noise unless it ranks near the top.
  return [...acc.entries()]
    .map(([articleId, e]) => ({ articleId, score: e.score, why: e.why }))
    .filter((s) => s.score >= 2)
    .sort((a, b) => b.score - a.score || a.articleId - b.articleId)
    .slice(0, limit);
}
