// Drawing knowledge-base text, shared by the dashboard and the engineer app: hit highlights and article blocks (text nodes only).
import { h } from './dom.js';

/** Text with the server's hit ranges ([start, end)) drawn as <mark>; everything stays a text node. */
export function marked(text, marks = []) {
  const out = [];
  let at = 0;
  for (const [a, b] of marks) {
    if (a < at) continue;
    if (a > at) out.push(text.slice(at, a));
    out.push(h('mark', null, text.slice(a, b)));
    at = b;
  }
  if (at < text.length) out.push(text.slice(at));
  return out;
}

/** One display block of an article body (the server sends plain text, so nothing in a manual runs as HTML). */
export function block(b) {
  switch (b.type) {
    case 'heading': return h(`h${Math.min(Math.max(b.depth, 2), 4)}`, null, b.text);
    case 'paragraph': return h('p', null, b.text);
    case 'list': return h(b.ordered ? 'ol' : 'ul', null, b.items.map((i) => h('li', null, i)));
    case 'code': return h('pre', null, b.text);
    case 'table': return h('table', { class: 'table' }, h('thead', null, h('tr', null, b.header.map((c) => h('th', null, c)))),
      h('tbody', null, b.rows.map((r) => h('tr', null, r.map((c) => h('td', null, c))))));
    default: return null;
  }
}
