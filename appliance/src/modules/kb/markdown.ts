// Manuals to articles: a front-matter block (or a plain-text header block) for tags, Markdown headings cut the
// document into one article per section (marked's lexer), ordered lists become a procedure's steps.
import { marked, type Token, type Tokens } from 'marked';
import { detectLanguage, findCodes } from './text.ts';

export const KB_KINDS = ['manual', 'fault_code', 'procedure', 'past_repair'] as const;
export type KbKind = (typeof KB_KINDS)[number];
export type KbLanguage = 'zh-CN' | 'en' | 'both';

export interface KbTags {
  assetTypes: string[];
  assetModels: string[];
  faultCodes: string[];
  alarmTypes: string[];
  trades: string[];
  /** Spare-part SKUs the article mentions. */
  parts: string[];
}

export interface ParsedArticle {
  /** Stable within its file: the section's heading path, so re-importing an edited file updates articles in place. */
  key: string;
  kind: KbKind;
  title: string;
  body: string;
  language: KbLanguage;
  tags: KbTags;
  steps: string[];
}

export const emptyTags = (): KbTags => ({ assetTypes: [], assetModels: [], faultCodes: [], alarmTypes: [], trades: [], parts: [] });

const TAG_KEYS: Record<string, keyof KbTags> = {
  asset_types: 'assetTypes', asset_type: 'assetTypes', asset_models: 'assetModels', asset_model: 'assetModels', models: 'assetModels',
  fault_codes: 'faultCodes', fault_code: 'faultCodes', codes: 'faultCodes', alarm_types: 'alarmTypes', alarm_type: 'alarmTypes',
  trades: 'trades', trade: 'trades', parts: 'parts',
};

interface Header { title?: string; kind?: KbKind; language?: KbLanguage; tags: KbTags }

function listValue(v: string): string[] {
  const inner = v.trim().replace(/^\[(.*)\]$/, '$1');
  return inner.split(/[,，;；]/).map((s) => s.trim().replace(/^["']|["']$/g, '')).filter(Boolean);
}

/** `key: value` lines; unknown keys are ignored, so a front matter written for another tool still imports. */
function parseHeader(lines: string[]): Header {
  const h: Header = { tags: emptyTags() };
  for (const line of lines) {
    const m = /^\s*([A-Za-z_]+)\s*[:：]\s*(.*)$/.exec(line);
    if (!m) continue;
    const key = m[1].toLowerCase();
    const value = m[2].trim();
    if (key === 'title' && value) h.title = value.replace(/^["']|["']$/g, '');
    else if (key === 'kind' && (KB_KINDS as readonly string[]).includes(value)) h.kind = value as KbKind;
    else if (key === 'language' || key === 'lang') {
      if (value === 'zh-CN' || value === 'zh' || value === 'en' || value === 'both') h.language = value === 'zh' ? 'zh-CN' : value;
    } else if (TAG_KEYS[key]) h.tags[TAG_KEYS[key]].push(...listValue(value));
  }
  return h;
}

/** Splits `---\n...\n---` front matter off a Markdown text. */
export function frontMatter(text: string): { header: Header; rest: string } {
  const m = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/.exec(text);
  if (!m) return { header: { tags: emptyTags() }, rest: text.replace(/^\uFEFF/, '') };
  return { header: parseHeader(m[1].split(/\r?\n/)), rest: text.slice(m[0].length) };
}

/** Inline Markdown to plain words, for titles and steps. */
function plain(s: string): string {
  return s.replace(/!\[[^\]]*\]\([^)]*\)/g, '').replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/[*_`~]+/g, '').replace(/\s+/g, ' ').trim();
}

const PROCEDURE_HEADING = /procedure|steps|how to|lubricat|步骤|规程|操作|程序|流程|润滑/i;

interface Section { path: string[]; heading: string; tokens: Token[] }

/** Cuts at the shallowest heading level that occurs more than once (or h2 under a single h1); none: one article. */
function sections(tokens: Token[]): { docTitle: string | null; parts: Section[] } {
  const headings = tokens.filter((t): t is Tokens.Heading => t.type === 'heading');
  const h1 = headings.filter((t) => t.depth === 1);
  const docTitle = h1.length === 1 ? plain(h1[0].text) : null;
  const levels = [...new Set(headings.map((t) => t.depth))].sort((a, b) => a - b);
  const level = levels.find((d) => (d === 1 ? h1.length > 1 : headings.some((t) => t.depth === d)));
  if (level === undefined) return { docTitle, parts: [{ path: [], heading: docTitle ?? '', tokens }] };
  const parts: Section[] = [];
  let current: Section = { path: [], heading: '', tokens: [] };
  for (const t of tokens) {
    if (t.type === 'heading' && (t as Tokens.Heading).depth <= level) {
      if (current.tokens.length) parts.push(current);
      const text = plain((t as Tokens.Heading).text);
      // The document's own title opens the intro section; it is not a section of its own.
      current = (t as Tokens.Heading).depth === 1 && docTitle !== null && level > 1 ? { path: [], heading: '', tokens: [] } : { path: [text], heading: text, tokens: [t] };
      continue;
    }
    current.tokens.push(t);
  }
  if (current.tokens.length) parts.push(current);
  return { docTitle, parts };
}

function firstOrderedList(tokens: Token[]): string[] {
  const list = tokens.find((t): t is Tokens.List => t.type === 'list' && (t as Tokens.List).ordered);
  return list ? list.items.map((i) => plain(i.text)).filter(Boolean) : [];
}

function sectionTags(header: Header, text: string): KbTags {
  // Document-wide: what the manual is about. Per section: the codes and parts it actually mentions.
  const tags = { ...header.tags, faultCodes: findCodes(text, header.tags.faultCodes), parts: findParts(text, header.tags.parts) };
  return tags;
}

function findParts(text: string, parts: string[]): string[] {
  const flat = text.normalize('NFKC').toLowerCase();
  return parts.filter((p) => flat.includes(p.toLowerCase()));
}

/** A Markdown manual to its articles. `name` (the file name) titles a document that has no heading. */
export function parseMarkdown(text: string, name: string): ParsedArticle[] {
  const { header, rest } = frontMatter(text);
  const tokens = marked.lexer(rest);
  const { docTitle, parts } = sections(tokens);
  const baseTitle = header.title ?? docTitle ?? name.replace(/\.[^.]+$/, '');
  const out: ParsedArticle[] = [];
  for (const s of parts) {
    const body = s.tokens.map((t) => t.raw).join('').trim();
    const content = body.replace(/^#+\s.*$/m, '').trim();
    // An intro that is only the title, or a heading with nothing under it, is no article.
    if (!content) continue;
    const title = s.heading ? (parts.length > 1 || header.title || docTitle ? `${baseTitle} · ${s.heading}` : s.heading) : baseTitle;
    const all = `${title}\n${body}`;
    const tags = parts.length === 1 ? { ...header.tags } : sectionTags(header, all);
    const steps = firstOrderedList(s.tokens);
    const codeInHeading = findCodes(s.heading, header.tags.faultCodes).length > 0;
    let kind: KbKind = header.kind ?? 'manual';
    if (kind === 'manual' && codeInHeading) kind = 'fault_code';
    else if (kind === 'manual' && steps.length && PROCEDURE_HEADING.test(s.heading)) kind = 'procedure';
    out.push({ key: s.path.join(' / ') || '(intro)', kind, title: title.slice(0, 300), body, language: header.language ?? detectLanguage(all), tags, steps });
  }
  return out;
}

/**
 * A plain-text note: the first line is the title; `key: value` lines right after it (kind, language, fault_codes,
 * parts, ...) are its tags, up to the first blank line or other line; the rest is the body.
 */
export function parsePlainText(text: string, name: string): ParsedArticle[] {
  const lines = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').split('\n');
  while (lines.length && !lines[0].trim()) lines.shift();
  if (!lines.length) return [];
  const title = lines.shift()!.trim();
  const headerLines: string[] = [];
  const isHeader = (l: string) => { const k = /^\s*([A-Za-z_]+)\s*[:：]/.exec(l)?.[1].toLowerCase(); return !!k && (k in TAG_KEYS || k === 'kind' || k === 'language' || k === 'lang'); };
  while (lines.length && isHeader(lines[0])) headerLines.push(lines.shift()!);
  const header = parseHeader(headerLines);
  const body = lines.join('\n').trim();
  const steps = body.split('\n').map((l) => /^\s*\d+[.)、]\s*(.+)$/.exec(l)?.[1]?.trim()).filter((s): s is string => !!s);
  const all = `${title}\n${body}`;
  return [{ key: '(text)', kind: header.kind ?? 'manual', title: (title || name).slice(0, 300), body, language: header.language ?? detectLanguage(all), tags: header.tags, steps }];
}

/** By the file name: .md/.markdown as Markdown, anything else as plain text. */
export function parseDocument(text: string, name: string): ParsedArticle[] {
  return /\.(md|markdown)$/i.test(name) ? parseMarkdown(text, name) : parsePlainText(text, name);
}

/** What the article page draws: blocks of plain text (no HTML passes through), built with marked's lexer on the box. */
export type DisplayBlock =
  | { type: 'heading'; depth: number; text: string }
  | { type: 'paragraph'; text: string }
  | { type: 'list'; ordered: boolean; items: string[] }
  | { type: 'code'; text: string }
  | { type: 'table'; header: string[]; rows: string[][] };

export function displayBlocks(body: string): DisplayBlock[] {
  const out: DisplayBlock[] = [];
  for (const t of marked.lexer(body)) {
    if (t.type === 'heading') out.push({ type: 'heading', depth: (t as Tokens.Heading).depth, text: plain((t as Tokens.Heading).text) });
    else if (t.type === 'paragraph' || t.type === 'text') out.push({ type: 'paragraph', text: plain((t as Tokens.Paragraph).text) });
    else if (t.type === 'list') out.push({ type: 'list', ordered: (t as Tokens.List).ordered, items: (t as Tokens.List).items.map((i) => plain(i.text)) });
    else if (t.type === 'code') out.push({ type: 'code', text: (t as Tokens.Code).text });
    else if (t.type === 'table') {
      const tb = t as Tokens.Table;
      out.push({ type: 'table', header: tb.header.map((c) => plain(c.text)), rows: tb.rows.map((r) => r.map((c) => plain(c.text))) });
    } else if (t.type === 'blockquote') out.push({ type: 'paragraph', text: plain((t as Tokens.Blockquote).text) });
  }
  return out;
}
