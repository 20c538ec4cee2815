// Text for the knowledge base's FTS5 index: Chinese as overlapping bigrams, fault codes kept whole, user queries
// turned into a safe MATCH expression (never raw input), and highlights found in the original text.

/** A run of Han characters: Chinese has no spaces, so these runs are what the index splits itself. */
const HAN_RUN = /\p{Script=Han}+/gu;
/**
 * Fault codes and model numbers written with a hyphen (E-07, AL-102, P-101): unicode61 would split "E-07" into "e" and
 * "07", and "e" matches everything. Joined to one token ("E07") on both sides, E-07, E07 and e-07 all find each other.
 */
const HYPHEN_CODE = /(?<![\p{Script=Latin}\p{N}])(\p{Script=Latin}{1,4})-(\d{1,6}\p{Script=Latin}{0,3})(?![\p{Script=Latin}\p{N}])/gu;
/** What a user's query is cut into: Han runs, or runs of letters and digits. Everything else (quotes, *, ^, :, ( ) ...) is dropped. */
const QUERY_TOKEN = /\p{Script=Han}+|[\p{L}\p{N}]+/gu;

const MAX_TERMS = 16;
const MAX_TERM_CHARS = 64;

function normalize(s: string): string {
  // NFKC: full-width letters, digits and punctuation typed on a Chinese keyboard (ＯＣ１, Ｅ－０７) become ASCII.
  return s.normalize('NFKC').replace(HYPHEN_CODE, '$1$2');
}

/** Overlapping bigrams of a Han run, plus its last character alone so a one-character query can find every position. */
export function bigrams(run: string): string[] {
  const chars = [...run];
  if (chars.length === 1) return chars;
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i] + chars[i + 1]);
  out.push(chars[chars.length - 1]);
  return out;
}

/**
 * The text given to FTS5 (tokenize 'porter unicode61'): Han runs become space-separated bigrams; Latin text passes
 * through for porter stemming. The same transformation shapes queries, so a word matches as a phrase of its bigrams.
 */
export function indexText(s: string): string {
  return normalize(s).replace(HAN_RUN, (run) => ` ${bigrams(run).join(' ')} `);
}

export interface QueryTerm {
  /** One FTS5 phrase, quoted: safe whatever the user typed. */
  fts: string;
  /** The word as typed (normalised), for highlighting. */
  word: string;
  han: boolean;
}

/** The user's words, at most 16 of them, each as a quoted FTS5 phrase. */
export function queryTerms(q: string): QueryTerm[] {
  const seen = new Set<string>();
  const terms: QueryTerm[] = [];
  for (const m of normalize(q).matchAll(QUERY_TOKEN)) {
    const word = [...m[0]].slice(0, MAX_TERM_CHARS).join('').toLowerCase();
    if (seen.has(word)) continue;
    seen.add(word);
    const han = /^\p{Script=Han}/u.test(word);
    let fts: string;
    if (!han) fts = `"${word}"`;
    // A single character is a prefix of its bigrams (or the run's trailing unigram): every place it occurs.
    else if ([...word].length === 1) fts = `"${word}" *`;
    // The bigrams in a row, without the trailing unigram: the indexed run may go on after the word.
    else fts = `"${bigrams(word).slice(0, -1).join(' ')}"`;
    terms.push({ fts, word, han });
    if (terms.length === MAX_TERMS) break;
  }
  return terms;
}

/** A MATCH expression for the query: every term (AND) or any (OR); null when nothing searchable was typed. */
export function matchExpression(terms: QueryTerm[], op: 'AND' | 'OR' = 'AND'): string | null {
  return terms.length ? terms.map((t) => t.fts).join(` ${op} `) : null;
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The forms of a term to look for in the original text: E07 also as E-07; English by a rough stem (bearings -> bearing...). */
function termPattern(t: QueryTerm): string {
  if (t.han) return escapeRegex(t.word);
  const code = /^(\p{Script=Latin}{1,4})(\d.*)$/u.exec(t.word);
  if (code) return `${escapeRegex(code[1])}-?${escapeRegex(code[2])}`;
  const stem = t.word.length > 4 ? t.word.replace(/(ings?|ed|es|s)$/, '') : t.word;
  return `${escapeRegex(stem)}[\\p{L}\\p{N}]*`;
}

/** Markdown markers (headings, bullets, emphasis, links, table bars) out of the way of an excerpt. */
export function plainText(md: string): string {
  return md.normalize('NFKC')
    .replace(/^\s{0,3}#{1,6}\s+/gm, '').replace(/^\s*[-*+]\s+/gm, '').replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/(\*\*|__|`)/g, '').replace(/^\s*\|?[\s:|-]+\|[\s:|-]*$/gm, '').replace(/\|/g, ' ');
}

export interface Snippet { text: string; marks: [number, number][] }

/**
 * A window of the original text around the first hit, with the hits marked ([start, end) in `text`). Done here rather
 * than by FTS5's snippet(): the index holds transformed text (bigrams), which is no place to cut a readable excerpt.
 */
export function highlight(original: string, terms: QueryTerm[], width = 160): Snippet {
  const flat = plainText(original).replace(/\s+/g, ' ').trim();
  if (!terms.length) return { text: flat.slice(0, width), marks: [] };
  const re = new RegExp(terms.map(termPattern).join('|'), 'giu');
  const first = re.exec(flat);
  let start = 0;
  if (first) start = Math.max(0, first.index - Math.floor(width / 4));
  // Start on a character, not inside a surrogate pair; the window is counted in UTF-16 units, close enough for display.
  let text = flat.slice(start, start + width);
  const prefix = start > 0 ? '…' : '';
  const suffix = start + width < flat.length ? '…' : '';
  text = prefix + text + suffix;
  const marks: [number, number][] = [];
  re.lastIndex = 0;
  for (const m of text.matchAll(re)) if (m[0].length) marks.push([m.index, m.index + m[0].length]);
  return { text, marks };
}

/** zh-CN, en or both, from the share of Han characters against Latin letters. */
export function detectLanguage(s: string): 'zh-CN' | 'en' | 'both' {
  const han = (s.match(/\p{Script=Han}/gu) ?? []).length;
  const latinWords = (s.match(/\p{Script=Latin}{2,}/gu) ?? []).length;
  if (han === 0) return 'en';
  // A Chinese text names codes and units in Latin letters; "both" needs real English alongside (a word per 4 Han chars).
  return latinWords * 4 >= han && latinWords >= 20 ? 'both' : 'zh-CN';
}

/** A tag value as compared: case and separators do not matter for codes and SKUs (E-07 = e07, BRG 6205 = BRG-6205). */
export function tagKey(v: string): string {
  return v.normalize('NFKC').toLowerCase().replace(/[\s_-]+/g, '');
}

/** Fault-code-like tokens in a text (E-07, OC1, AL102), for tagging sections and reading device events. */
export function findCodes(s: string, known: string[]): string[] {
  const keys = new Map(known.map((k) => [tagKey(k), k]));
  const out = new Set<string>();
  for (const m of s.normalize('NFKC').matchAll(/(?<![\p{Script=Latin}\p{N}])\p{Script=Latin}{1,4}-?\d{1,6}\p{Script=Latin}{0,3}(?![\p{Script=Latin}\p{N}])/gu)) {
    const k = keys.get(tagKey(m[0]));
    if (k) out.add(k);
  }
  return [...out];
}
