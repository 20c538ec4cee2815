// Knowledge base: search (Chinese and English, fault codes), the article page, and the work order's suggestions panel.
import { t, fmtDateTime } from '../i18n.js';
import { api, qs } from '../api.js';
import { h, setChildren, fields } from '../dom.js';
import { marked, block } from '../kb-render.js';

function kindBadge(kind) {
  return h('span', { class: `badge kb-kind kb-kind-${kind}`, testid: 'kb-kind', dataset: { kind } }, t(`kb.kind.${kind}`));
}

function resultItem(r) {
  return h(
    'li',
    { class: 'kb-result', testid: 'kb-result', dataset: { id: String(r.id), kind: r.kind } },
    h('div', null, h('a', { href: `#/kb/${r.id}`, testid: 'kb-result-title' }, marked(r.title, r.titleMarks)), ' ', kindBadge(r.kind)),
    h('div', { class: 'kb-snippet muted', testid: 'kb-snippet' }, marked(r.snippet.text, r.snippet.marks)),
  );
}

function select(testid, value, options, onchange) {
  return h('select', { class: 'input kb-select', testid, onchange: (e) => onchange(e.target.value) },
    options.map(([v, label]) => h('option', { value: v, selected: v === value }, label)));
}

function searchPage(ctx, query) {
  let q = query.get('q') ?? '';
  let lang = query.get('lang') ?? '';
  let kind = query.get('kind') ?? '';
  let timer = 0;
  let seq = 0;
  const results = h('div', { testid: 'kb-results' });
  const input = h('input', { class: 'input kb-query', type: 'search', testid: 'kb-query', value: q, placeholder: t('kb.placeholder'), autofocus: true,
    oninput: (e) => { q = e.target.value; clearTimeout(timer); timer = setTimeout(run, 250); } });

  async function run() {
    clearTimeout(timer);
    history.replaceState(null, '', `#/kb${qs({ q: q || undefined, lang: lang || undefined, kind: kind || undefined })}`);
    const mine = ++seq;
    if (!q.trim()) return setChildren(results, h('p', { class: 'muted' }, t('kb.hint')));
    try {
      const r = await api(`/kb/search${qs({ q, lang: lang || undefined, kind: kind || undefined, limit: 20 })}`);
      if (mine !== seq) return; // a later keystroke already asked again
      if (!r.results.length) return setChildren(results, h('p', { class: 'empty', testid: 'kb-empty' }, t('kb.none', { q })));
      setChildren(results,
        r.mode === 'any' ? h('p', { class: 'muted small', testid: 'kb-any' }, t('kb.anyWord')) : null,
        h('ol', { class: 'kb-results plain' }, r.results.map(resultItem)));
    } catch (err) {
      ctx.fail(err);
    }
  }

  const form = h('form', { class: 'kb-search', testid: 'kb-search', onsubmit: (e) => { e.preventDefault(); run(); } },
    input,
    select('kb-lang', lang, [['', t('kb.lang.all')], ['zh-CN', t('kb.lang.zh-CN')], ['en', t('kb.lang.en')]], (v) => { lang = v; run(); }),
    select('kb-kind', kind, [['', t('kb.kind.all')], ...['manual', 'fault_code', 'procedure', 'past_repair'].map((k) => [k, t(`kb.kind.${k}`)])], (v) => { kind = v; run(); }),
    h('button', { class: 'btn btn-primary', type: 'submit', testid: 'kb-submit' }, t('kb.search')),
  );
  const el = h('section', { class: 'view view-kb', testid: 'kb-view' }, h('div', { class: 'view-head' }, h('h1', null, t('kb.title'))), form, results);
  run();
  return { el, destroy: () => clearTimeout(timer) };
}

function articlePage(ctx, id) {
  const el = h('section', { class: 'view view-kb-article', testid: 'kb-article', dataset: { id } }, h('p', { class: 'muted' }, '…'));
  api(`/kb/articles/${encodeURIComponent(id)}`).then((a) => {
    const tagRows = Object.entries(a.tags).filter(([, v]) => v.length).map(([k, v]) => [t(`kb.tag.${k}`), v.join(', '), `kb-tag-${k}`]);
    setChildren(el,
      h('p', null, h('a', { href: '#/kb', testid: 'kb-back' }, `← ${t('kb.back')}`)),
      h('div', { class: 'view-head' }, h('h1', { testid: 'kb-article-title' }, a.title), kindBadge(a.kind)),
      h('div', { class: 'cols' },
        h('div', { class: 'panel kb-body', testid: 'kb-article-body' }, a.blocks.map(block)),
        h('div', { class: 'panel' }, fields([[t('kb.source'), a.source], [t('kb.updated'), fmtDateTime(a.updatedTs)], ...tagRows]))),
    );
  }).catch((err) => {
    setChildren(el, h('p', { class: 'empty' }, err.message));
    if (err.status !== 404) ctx.fail(err);
  });
  return { el };
}

/** #/kb?q=... is the search page, #/kb/<id> an article. */
export function kbView(ctx, param, query) {
  return param ? articlePage(ctx, param) : searchPage(ctx, query);
}

// The work-order page redraws often (every live update): suggestions are fetched once a minute per work order at most.
const cache = new Map();

function suggestionsBody(s) {
  if (!s.articles.length) return h('p', { class: 'muted', testid: 'kb-suggest-none' }, t('kb.suggest.none'));
  return [
    s.context.faultCodes.length ? h('p', { class: 'muted small' }, t('kb.suggest.codes', { codes: s.context.faultCodes.join(', ') })) : null,
    h('ol', { class: 'plain kb-suggestions' }, s.articles.map((a) => h('li', { testid: 'kb-suggestion', dataset: { id: String(a.id) } },
      h('a', { href: `#/kb/${a.id}` }, a.title), ' ', kindBadge(a.kind)))),
    s.steps ? h('div', { testid: 'kb-steps' }, h('h3', null, t('kb.suggest.steps', { title: s.steps.title })), h('ol', null, s.steps.steps.map((x) => h('li', null, x)))) : null,
    s.parts.length ? h('div', { testid: 'kb-parts' }, h('h3', null, t('kb.suggest.parts')), h('ul', { class: 'plain' }, s.parts.map((p) => h('li', null, h('code', null, p.sku))))) : null,
  ];
}

export function kbSuggestionsPanel(ctx, detail) {
  const id = detail?.ticket?.id;
  if (!id) return null;
  const panel = h('div', { class: 'panel', testid: 'ticket-kb' }, h('h2', null, t('kb.suggestions')));
  const hit = cache.get(id);
  if (hit?.data) panel.append(...[suggestionsBody(hit.data)].flat().filter(Boolean));
  else panel.append(h('p', { class: 'muted' }, t('kb.suggest.loading')));
  if (!hit || Date.now() - hit.at > 60_000) {
    const entry = { at: Date.now(), data: hit?.data ?? null };
    cache.set(id, entry);
    api(`/tickets/${encodeURIComponent(id)}/suggestions`).then((s) => {
      entry.data = s;
      // This panel may have been redrawn meanwhile: fill whichever one is on screen now.
      const live = document.querySelector(`[data-ticket-id="${CSS.escape(id)}"] [data-testid="ticket-kb"]`) ?? panel;
      setChildren(live, h('h2', null, t('kb.suggestions')), suggestionsBody(s));
    }).catch((err) => { cache.delete(id); if (err.status !== 404) ctx.fail(err); });
  }
  return panel;
}
