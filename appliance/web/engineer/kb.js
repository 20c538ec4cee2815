// The knowledge base in the engineer app: search (zh/en, fault codes), an article, and the job's suggestions.
// Reads go through read(), so an article or a search already seen on this phone still opens with the Wi-Fi down.
import { t, getLang } from '../i18n.js';
import { h, setChildren } from '../dom.js';
import { marked, block } from '../kb-render.js';
import { read } from './net.js';

const kindBadge = (kind) => h('span', { class: 'badge', dataset: { kind } }, t(`kb.kind.${kind}`));

function results(list) {
  return h('ol', { class: 'list plain', testid: 'eng-kb-results' }, list.map((r) => h('li', { class: 'card' },
    h('a', { href: `#/kb/a/${r.id}`, testid: 'eng-kb-result' }, marked(r.title, r.titleMarks)), ' ', kindBadge(r.kind),
    r.snippet ? h('div', { class: 'muted' }, marked(r.snippet.text, r.snippet.marks)) : null)));
}

/** #/kb?q= search; with a job id the page opens on that job's suggestions (steps and parts included). */
export async function kbSearchView(root, { q = '', jobId = null } = {}) {
  const out = h('div', { testid: 'eng-kb-out' });
  const input = h('input', { type: 'search', testid: 'eng-kb-query', value: q, placeholder: t('kb.placeholder'), enterkeyhint: 'search' });
  async function run() {
    const query = input.value.trim();
    if (!query) return;
    location.replace(`#/kb?q=${encodeURIComponent(query)}${jobId ? `&job=${encodeURIComponent(jobId)}` : ''}`);
    try {
      // The engineer's language first; bilingual articles come with both.
      const { data, stale } = await read(`/kb/search?q=${encodeURIComponent(query)}&lang=${encodeURIComponent(getLang())}&limit=20`);
      const list = data.results.length ? data.results : (await read(`/kb/search?q=${encodeURIComponent(query)}&limit=20`)).data.results;
      setChildren(out, stale ? h('p', { class: 'stale' }, t('eng.stale')) : null,
        list.length ? results(list) : h('p', { class: 'empty', testid: 'eng-kb-empty' }, t('kb.none', { q: query })));
    } catch (e) {
      setChildren(out, h('p', { class: 'empty' }, e.status === 0 ? t('eng.stale') : t('common.error', { message: e.message })));
    }
  }
  const form = h('form', { class: 'row', onsubmit: (e) => { e.preventDefault(); void run(); } }, input, h('button', { class: 'btn primary', type: 'submit', testid: 'eng-kb-go' }, t('kb.search')));
  setChildren(root, h('a', { class: 'back', href: jobId ? `#/job/${jobId}` : '#/' }, `‹ ${t('common.back')}`), h('h1', null, t('kb.title')), form, out);
  if (q) return run();
  if (!jobId) return;
  try {
    const s = (await read(`/tickets/${encodeURIComponent(jobId)}/suggestions`)).data;
    setChildren(out,
      h('h2', null, t('kb.suggestions')),
      s.articles.length ? results(s.articles) : h('p', { class: 'muted' }, t('kb.suggest.none')),
      s.steps ? [h('h2', null, t('kb.suggest.steps', { title: s.steps.title })), h('ol', { testid: 'eng-kb-steps' }, s.steps.steps.map((x) => h('li', null, x)))] : null,
      s.parts.length ? [h('h2', null, t('kb.suggest.parts')), h('ul', null, s.parts.map((p) => h('li', null, h('code', null, p.sku))))] : null);
  } catch { /* suggestions are a help, not a must: the search box still works */ }
}

export async function kbArticleView(root, id) {
  try {
    const { data: a, stale } = await read(`/kb/articles/${encodeURIComponent(id)}`);
    setChildren(root, h('a', { class: 'back', href: 'javascript:history.back()' }, `‹ ${t('common.back')}`),
      stale ? h('p', { class: 'stale' }, t('eng.stale')) : null,
      h('h1', { testid: 'eng-kb-title' }, a.title), kindBadge(a.kind),
      h('section', { class: 'card', testid: 'eng-kb-body' }, a.blocks.map(block)));
  } catch (e) {
    setChildren(root, h('a', { class: 'back', href: '#/kb' }, `‹ ${t('kb.title')}`), h('p', { class: 'empty' }, t('common.error', { message: e.message })));
  }
}
