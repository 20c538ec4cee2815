// The knowledge base: articles in SQLite with a contentless FTS5 index, imported manuals, past repairs from
// closed work orders, and the suggestions each new work order gets (articles, likely steps, spare parts).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { Counter } from 'prom-client';
import type { Bus, Clock, Logger } from '../../core/index.ts';
import { OutpostError } from '../../core/index.ts';
import type { Ticket } from '../../domain/index.ts';
import { transaction, type Db } from '../storage/index.ts';
import type { Registry } from '../devices/index.ts';
import type { Tickets } from '../tickets/index.ts';
import type { Roster } from '../roster/index.ts';
import type { Metrics } from '../health/index.ts';
import { parseDocument, displayBlocks, emptyTags, type DisplayBlock, type KbKind, type KbLanguage, type KbTags, type ParsedArticle } from './markdown.ts';
import { highlight, indexText, matchExpression, queryTerms, tagKey, type Snippet } from './text.ts';
import { rankSuggestions, TAG_KINDS, type TagHit } from './suggest.ts';

export interface KbArticle {
  id: number;
  kind: KbKind;
  title: string;
  body: string;
  language: KbLanguage;
  tags: KbTags;
  steps: string[];
  source: string;
  section: string;
  createdTs: number;
  updatedTs: number;
}

export interface KbHit {
  id: number;
  kind: KbKind;
  title: string;
  language: KbLanguage;
  tags: KbTags;
  titleMarks: [number, number][];
  snippet: Snippet;
  score: number;
}

export interface KbSuggestions {
  ticketId: string;
  context: { assetType: string | null; assetName: string | null; alarmType: string | null; faultCodes: string[] };
  articles: { id: number; kind: KbKind; title: string; score: number; why: string[] }[];
  steps: { articleId: number; title: string; steps: string[] } | null;
  parts: { sku: string; articles: number }[];
}

export interface KbConfig {
  /** Largest document POST /kb/import or the CLI takes. */
  importMaxBytes: number;
  /** Device events (fault codes) this long before a work order opened, or after, count as its fault codes. */
  eventWindowS: number;
}

const IMPORTABLE = /\.(md|markdown|txt|text)$/i;

/** Column weights for bm25: a hit in the title counts ten times one in the body; tags (codes, models, SKUs) four. */
const BM25 = 'bm25(kb_fts, 10.0, 1.0, 4.0)';

function rowToArticle(r: Record<string, unknown>): KbArticle {
  return {
    id: r.id as number, kind: r.kind as KbKind, title: r.title as string, body: r.body as string, language: r.language as KbLanguage,
    tags: { ...emptyTags(), ...(JSON.parse(r.tags as string) as Partial<KbTags>) }, steps: JSON.parse(r.steps as string) as string[],
    source: r.source as string, section: r.section as string, createdTs: r.created_ts as number, updatedTs: r.updated_ts as number,
  };
}

/** Filter tokens in the tags column: letters only, so the tokenizer keeps each whole; a bilingual article carries both. */
const langMarker = (lang: 'zh-CN' | 'en') => (lang === 'en' ? 'xlangen' : 'xlangzh');
const kindMarker = (kind: string) => `xkind${kind.replace(/[^a-z]/g, '')}`;
function markers(language: KbLanguage, kind: KbKind): string {
  const langs = language === 'both' ? [langMarker('zh-CN'), langMarker('en')] : [langMarker(language)];
  return [...langs, kindMarker(kind)].join(' ');
}

function tagsText(t: KbTags): string {
  return [...t.assetTypes, ...t.assetModels, ...t.faultCodes, ...t.alarmTypes, ...t.trades, ...t.parts].join(' ');
}

export function createKb(
  deps: { db: Db; bus?: Bus; clock: Clock; registry?: Registry; tickets?: Tickets; roster?: Roster; metrics?: Metrics; logger?: Logger },
  config: KbConfig = { importMaxBytes: 256 * 1024, eventWindowS: 1800 },
) {
  const { db, clock } = deps;
  const rejected = new Counter({
    name: 'outpost_kb_import_rejected_total', help: 'Knowledge-base documents refused at import, by error code', labelNames: ['code'],
    registers: deps.metrics ? [deps.metrics.registry] : [],
  });
  const q = {
    find: db.prepare('SELECT id, created_ts FROM kb_articles WHERE source = ? AND section = ?'),
    insert: db.prepare('INSERT INTO kb_articles (kind, title, body, language, tags, steps, source, section, created_ts, updated_ts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'),
    update: db.prepare('UPDATE kb_articles SET kind = ?, title = ?, body = ?, language = ?, tags = ?, steps = ?, updated_ts = ? WHERE id = ?'),
    ftsDelete: db.prepare('DELETE FROM kb_fts WHERE rowid = ?'),
    ftsInsert: db.prepare('INSERT INTO kb_fts (rowid, title, body, tags) VALUES (?, ?, ?, ?)'),
    tagsDelete: db.prepare('DELETE FROM kb_tags WHERE article_id = ?'),
    tagInsert: db.prepare('INSERT OR IGNORE INTO kb_tags (article_id, kind, value) VALUES (?, ?, ?)'),
    get: db.prepare('SELECT * FROM kb_articles WHERE id = ?'),
    ofSource: db.prepare('SELECT id, section FROM kb_articles WHERE source = ?'),
    remove: db.prepare('DELETE FROM kb_articles WHERE id = ?'),
  };

  /** Writes one article and its index rows; inside the caller's transaction. The same (source, section) updates in place. */
  function put(source: string, a: ParsedArticle): number {
    const now = clock.now();
    const existing = q.find.get(source, a.key) as { id: number } | undefined;
    let id: number;
    if (existing) {
      id = existing.id;
      q.update.run(a.kind, a.title, a.body, a.language, JSON.stringify(a.tags), JSON.stringify(a.steps), now, id);
      q.ftsDelete.run(id);
      q.tagsDelete.run(id);
    } else {
      id = Number(q.insert.run(a.kind, a.title, a.body, a.language, JSON.stringify(a.tags), JSON.stringify(a.steps), source, a.key, now, now).lastInsertRowid);
    }
    q.ftsInsert.run(id, indexText(a.title), indexText(a.body), `${indexText(tagsText(a.tags))} ${markers(a.language, a.kind)}`);
    for (const [kind, field] of TAG_KINDS) for (const v of a.tags[field]) q.tagInsert.run(id, kind, tagKey(v));
    return id;
  }

  function removeArticle(id: number): void {
    q.ftsDelete.run(id);
    q.tagsDelete.run(id);
    q.remove.run(id);
  }

  function reject(code: 'OUTPOST_KB_IMPORT_EMPTY' | 'OUTPOST_KB_IMPORT_BINARY' | 'OUTPOST_KB_IMPORT_TOO_LARGE', message: string): never {
    rejected.inc({ code });
    throw new OutpostError(code, message);
  }

  /** One document (Markdown or plain text, by its name) to articles; re-importing the same name replaces its articles. */
  function importText(name: string, text: string): { source: string; articles: { id: number; kind: KbKind; title: string }[]; removed: number } {
    const source = name.replace(/\\/g, '/').slice(-200);
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes > config.importMaxBytes) reject('OUTPOST_KB_IMPORT_TOO_LARGE', `${name} is ${bytes} bytes; the knowledge base takes documents up to ${config.importMaxBytes} bytes (split it)`);
    // NUL bytes, or text that did not decode as UTF-8 (replacement characters), is a binary file: a PDF or a Word file.
    const bad = (text.match(/[\u0000\uFFFD]/g) ?? []).length;
    if (text.includes('\u0000') || bad > 8 || (text.length > 0 && bad / text.length > 0.01)) reject('OUTPOST_KB_IMPORT_BINARY', `${name} is not UTF-8 text: import Markdown or plain text (convert PDFs and Word files first)`);
    if (!text.trim()) reject('OUTPOST_KB_IMPORT_EMPTY', `${name} is empty`);
    const parsed = parseDocument(text, source);
    if (!parsed.length) reject('OUTPOST_KB_IMPORT_EMPTY', `${name} has no text under its headings`);
    // Two sections with the same heading get numbered keys, so both are kept.
    const seen = new Map<string, number>();
    for (const a of parsed) {
      const n = (seen.get(a.key) ?? 0) + 1;
      seen.set(a.key, n);
      if (n > 1) a.key = `${a.key} (${n})`;
    }
    return transaction(db, () => {
      const articles = parsed.map((a) => ({ id: put(source, a), kind: a.kind, title: a.title }));
      const keep = new Set(parsed.map((a) => a.key));
      const stale = (q.ofSource.all(source) as { id: number; section: string }[]).filter((r) => !keep.has(r.section));
      for (const r of stale) removeArticle(r.id);
      return { source, articles, removed: stale.length };
    });
  }

  /** Merges the index's segments into one b-tree: after a bulk import a query then reads one posting list per token, not dozens. */
  function optimize(): void {
    db.exec("INSERT INTO kb_fts (kb_fts) VALUES ('optimize')");
  }

  /** A file, or every .md/.markdown/.txt under a folder (named by their path inside it). */
  function importPath(path: string): { files: number; articles: number } {
    const st = statSync(path);
    const files: { name: string; file: string }[] = [];
    if (st.isDirectory()) {
      const walk = (dir: string): void => {
        for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
          const f = join(dir, e.name);
          if (e.isDirectory()) walk(f);
          else if (IMPORTABLE.test(e.name)) files.push({ name: relative(path, f).split('\\').join('/'), file: f });
        }
      };
      walk(path);
    } else files.push({ name: basename(path), file: path });
    let articles = 0;
    for (const f of files) articles += importText(f.name, readFileSync(f.file, 'utf8')).articles.length;
    if (files.length > 1) optimize();
    return { files: files.length, articles };
  }

  /**
   * Ranked in the index alone, then only the top rows are read: joining kb_articles to every match read each body
   * (overflow pages) before LIMIT, 30 ms a query at 3,000 matches (bench/kb.ts). The language and kind filters are
   * marker tokens in the tags column for the same reason.
   */
  function run(expr: string, lang: string | undefined, kind: string | undefined, limit: number): (Record<string, unknown> & { score: number })[] {
    const filters = [lang === 'zh-CN' || lang === 'en' ? `tags : ${langMarker(lang)}` : null, kind ? `tags : ${kindMarker(kind)}` : null].filter(Boolean);
    const match = filters.length ? `(${expr}) AND ${filters.join(' AND ')}` : expr;
    const top = db.prepare(`SELECT rowid AS id, ${BM25} AS score FROM kb_fts WHERE kb_fts MATCH ? ORDER BY score LIMIT ?`).all(match, limit) as { id: number; score: number }[];
    if (!top.length) return [];
    const byId = new Map((db.prepare(`SELECT * FROM kb_articles WHERE id IN (${top.map(() => '?').join(', ')})`).all(...top.map((t) => t.id)) as Record<string, unknown>[]).map((r) => [r.id as number, r]));
    return top.filter((t) => byId.has(t.id)).map((t) => ({ ...byId.get(t.id)!, score: t.score }));
  }

  /**
   * Every word must match; when that finds nothing and there were several words, any word may (a Chinese word and an
   * English one rarely sit in the same article). The user's text never reaches MATCH as syntax: see text.ts.
   */
  function search(query: string, opts: { lang?: string; limit?: number; kind?: string } = {}): { query: string; mode: 'all' | 'any' | 'none'; results: KbHit[] } {
    const terms = queryTerms(query);
    const limit = Math.min(Math.max(opts.limit ?? 10, 1), 50);
    const all = matchExpression(terms, 'AND');
    if (!all) return { query, mode: 'none', results: [] };
    let mode: 'all' | 'any' = 'all';
    let rows = run(all, opts.lang, opts.kind, limit);
    if (!rows.length && terms.length > 1) { mode = 'any'; rows = run(matchExpression(terms, 'OR')!, opts.lang, opts.kind, limit); }
    return {
      query, mode,
      results: rows.map((r) => {
        const a = rowToArticle(r);
        // bm25 is lower-is-better and negative; flipped so a larger score is a better hit.
        return { id: a.id, kind: a.kind, title: a.title, language: a.language, tags: a.tags, titleMarks: highlight(a.title, terms, 300).marks, snippet: highlight(a.body, terms), score: -r.score };
      }),
    };
  }

  /** The article with its body as display blocks, for the article page. */
  function article(id: number): KbArticle & { blocks: DisplayBlock[] } {
    const a = get(id);
    return { ...a, blocks: displayBlocks(a.body) };
  }

  function get(id: number): KbArticle {
    const row = q.get.get(id);
    if (!row) throw new OutpostError('OUTPOST_NOT_FOUND', `knowledge-base article ${id} does not exist`);
    return rowToArticle(row as Record<string, unknown>);
  }

  /** The asset's devices' fault codes reported around the work order: `from`-window .. `to`+window (device or box time). */
  function faultCodesNear(t: Ticket, to: number): string[] {
    if (!deps.registry || !t.assetId) return [];
    const devices = deps.registry.devices().filter((e) => e.device.assetId === t.assetId || e.device.id === t.assetId).map((e) => e.device.id);
    if (!devices.length) return [];
    const w = config.eventWindowS * 1000;
    const from = t.createdTs - w;
    const until = to + w;
    const marks = devices.map(() => '?').join(', ');
    const rows = db.prepare(`SELECT code, MAX(ts) AS last FROM device_events WHERE device_id IN (${marks}) AND ((ts BETWEEN ? AND ?) OR (received_ts BETWEEN ? AND ?)) GROUP BY code ORDER BY last DESC LIMIT 10`)
      .all(...devices, from, until, from, until) as { code: string }[];
    return rows.map((r) => r.code);
  }

  function suggestionsFor(ticketId: string): KbSuggestions {
    if (!deps.tickets) throw new OutpostError('OUTPOST_NOT_FOUND', 'work orders are not part of this box');
    const t = deps.tickets.get(ticketId);
    const asset = t.assetId ? deps.registry?.asset(t.assetId) : undefined;
    const faultCodes = faultCodesNear(t, t.createdTs);
    const wanted: [string, string][] = [
      ...faultCodes.map((c): [string, string] => ['fault_code', tagKey(c)]),
      ...(t.alarmType ? [['alarm_type', tagKey(t.alarmType)] as [string, string]] : []),
      ...(asset ? [['asset_type', tagKey(asset.type)] as [string, string]] : []),
    ];
    const hits: TagHit[] = [];
    for (const [kind, value] of wanted) {
      for (const r of db.prepare('SELECT article_id FROM kb_tags WHERE kind = ? AND value = ?').all(kind, value) as { article_id: number }[]) hits.push({ articleId: r.article_id, kind, value });
    }
    // Asset models are named inside the asset's name ("Cooling water pump P-101" is a P-101).
    if (asset) {
      const name = tagKey(asset.name);
      for (const r of db.prepare("SELECT article_id, value FROM kb_tags WHERE kind = 'asset_model'").all() as { article_id: number; value: string }[]) {
        if (r.value.length >= 2 && name.includes(r.value)) hits.push({ articleId: r.article_id, kind: 'asset_model', value: r.value });
      }
    }
    // Free text: the alarm type's words, the codes and what a person wrote on the ticket, any of them.
    const words = [t.alarmType?.replaceAll('_', ' ') ?? '', ...faultCodes, t.source === 'alarm' ? '' : `${t.title} ${t.description ?? ''}`].join(' ');
    const expr = matchExpression(queryTerms(words), 'OR');
    const textRanked = expr ? run(expr, undefined, undefined, 20).map((r) => r.id as number) : [];
    const ranked = rankSuggestions(hits, textRanked, 5);
    const articles = ranked.map((s) => ({ ...s, article: get(s.articleId) }));
    const withSteps = articles.find((a) => a.article.steps.length);
    const parts = new Map<string, { sku: string; articles: number; weight: number }>();
    for (const a of articles) {
      for (const sku of a.article.tags.parts) {
        const p = parts.get(tagKey(sku)) ?? { sku, articles: 0, weight: 0 };
        p.articles += 1;
        p.weight += a.score;
        parts.set(tagKey(sku), p);
      }
    }
    return {
      ticketId,
      context: { assetType: asset?.type ?? null, assetName: asset?.name ?? null, alarmType: t.alarmType, faultCodes },
      articles: articles.map((a) => ({ id: a.article.id, kind: a.article.kind, title: a.article.title, score: Math.round(a.score * 100) / 100, why: a.why })),
      steps: withSteps ? { articleId: withSteps.article.id, title: withSteps.article.title, steps: withSteps.article.steps } : null,
      parts: [...parts.values()].sort((a, b) => b.weight - a.weight).map(({ sku, articles: n }) => ({ sku, articles: n })),
    };
  }

  /** A closed work order's fix, as an article the next engineer finds: asset, alarm, codes, the sign-off notes, parts, the trail's notes. */
  function addPastRepair(ticketId: string): number | null {
    if (!deps.tickets) return null;
    const { ticket: t, events } = deps.tickets.detail(ticketId);
    if (t.status !== 'closed') return null;
    const signoff = db.prepare('SELECT * FROM kb_signoffs WHERE ticket_id = ?').get(ticketId) as { engineer_id: string; parts: string; notes: string; ts: number } | undefined;
    const parts = signoff ? (JSON.parse(signoff.parts) as { sku: string; qty: number }[]) : [];
    const asset = t.assetId ? deps.registry?.asset(t.assetId) : undefined;
    const faultCodes = faultCodesNear(t, t.updatedTs);
    const engineerId = signoff?.engineer_id ?? t.assignee;
    const engineer = engineerId ? deps.roster?.get(engineerId)?.name ?? engineerId : null;
    const trail = events.filter((e) => e.note && e.note.trim()).map((e) => `- ${e.actor}${e.to ? ` (${e.to})` : ''}: ${e.note!.trim().replace(/\s+/g, ' ')}`);
    const notes = signoff?.notes.trim() ?? '';
    const lines = [
      `**Asset:** ${asset ? `${asset.name} (${asset.type})` : t.assetId ?? '-'}`,
      `**Alarm:** ${t.alarmType ?? '-'}`,
      ...(faultCodes.length ? [`**Fault codes:** ${faultCodes.join(', ')}`] : []),
      ...(engineer ? [`**Engineer:** ${engineer}`] : []),
      `**Work order:** ${t.id} (${t.category})`,
      '',
      '### What was done',
      notes || '(no sign-off notes)',
      ...(parts.length ? ['', '### Parts used', ...parts.map((p) => `- ${p.sku} × ${p.qty}`)] : []),
      ...(trail.length ? ['', '### From the trail', ...trail] : []),
    ];
    const body = lines.join('\n');
    const firstNote = notes.split('\n')[0].trim();
    const title = `${t.title}${firstNote ? ` — ${firstNote.length > 80 ? `${firstNote.slice(0, 80)}…` : firstNote}` : ''}`;
    const tags: KbTags = {
      ...emptyTags(), assetTypes: asset ? [asset.type] : [], faultCodes, alarmTypes: t.alarmType ? [t.alarmType] : [], trades: [t.category], parts: parts.map((p) => p.sku),
    };
    const text = `${notes}\n${trail.join('\n')}`;
    const han = (text.match(/\p{Script=Han}/gu) ?? []).length;
    const latin = (text.match(/\p{Script=Latin}{2,}/gu) ?? []).length;
    const language: KbLanguage = han && latin > 3 ? 'both' : han ? 'zh-CN' : 'en';
    const steps = notes.split('\n').map((l) => /^\s*\d+[.)、]\s*(.+)$/.exec(l)?.[1]?.trim()).filter((s): s is string => !!s);
    return transaction(db, () => put(t.id, { key: 'past_repair', kind: 'past_repair', title: title.slice(0, 300), body, language, tags, steps }));
  }

  const guarded = (what: string, fn: () => void) => { try { fn(); } catch (err) { deps.logger?.error({ err }, `OUTPOST_KB: ${what} failed`); } };

  function onSignedOff(e: { ticketId: string; engineerId: string; partsUsed: { sku: string; qty: number }[]; notes: string; ts: number }): void {
    guarded('storing a sign-off', () => {
      db.prepare('INSERT OR REPLACE INTO kb_signoffs (ticket_id, engineer_id, parts, notes, ts) VALUES (?, ?, ?, ?, ?)').run(e.ticketId, e.engineerId, JSON.stringify(e.partsUsed ?? []), e.notes ?? '', e.ts);
      // Signed off after it closed (the app's queue caught up late): the past repair gets the notes now.
      if (deps.tickets?.get(e.ticketId).status === 'closed') addPastRepair(e.ticketId);
    });
  }

  function onTicketUpdated(t: Ticket): void {
    if (t.status === 'closed') guarded('adding a past repair', () => { addPastRepair(t.id); });
  }

  const pending = new Set<NodeJS.Immediate>();
  function onTicketOpened(t: Ticket): void {
    // After the opening finishes: the alarm path is not held up, and fault codes published alongside have landed.
    const h = setImmediate(() => {
      pending.delete(h);
      guarded('suggesting articles', () => {
        const s = suggestionsFor(t.id);
        if (s.articles.length) {
          deps.tickets!.record(t.id, 'kb', 'kb_suggested', { articleIds: s.articles.map((a) => a.id), steps: s.steps?.articleId ?? null, parts: s.parts.map((p) => p.sku), faultCodes: s.context.faultCodes });
        }
      });
    });
    pending.add(h);
  }

  return {
    start(): void {
      deps.bus?.on('job.signed_off', onSignedOff);
      deps.bus?.on('ticket.updated', onTicketUpdated);
      deps.bus?.on('ticket.opened', onTicketOpened);
    },
    stop(): void {
      deps.bus?.off('job.signed_off', onSignedOff);
      deps.bus?.off('ticket.updated', onTicketUpdated);
      deps.bus?.off('ticket.opened', onTicketOpened);
      for (const h of pending) clearImmediate(h);
      pending.clear();
    },
    importText,
    importPath,
    optimize,
    search,
    get,
    article,
    suggestionsFor,
    addPastRepair,
    count: (): number => (db.prepare('SELECT COUNT(*) AS n FROM kb_articles').get() as { n: number }).n,
  };
}

export type Kb = ReturnType<typeof createKb>;
