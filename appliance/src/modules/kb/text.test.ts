// Chinese bigrams, fault codes and query escaping, checked against a real FTS5 table built the way kb.ts builds it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DatabaseSync } from 'node:sqlite';
import { bigrams, detectLanguage, findCodes, highlight, indexText, matchExpression, queryTerms, tagKey } from './text.ts';

const DOCS = [
  '离心泵轴承温度过高的处理',
  '空压机排气温度过高，检查冷却器',
  'Replace the pump bearings and regrease',
  '故障代码 E-07：变频器过流，检查电机',
  'Fault OC1: inverter overcurrent during acceleration',
  '冷水机组供水温度偏高',
  'Error E-071 is a different code; so is E-70',
];

function fts() {
  const db = new DatabaseSync(':memory:');
  db.exec("CREATE VIRTUAL TABLE f USING fts5(body, content='', contentless_delete=1, tokenize='porter unicode61 remove_diacritics 2')");
  DOCS.forEach((d, i) => db.prepare('INSERT INTO f (rowid, body) VALUES (?, ?)').run(i, indexText(d)));
  return (q: string, op: 'AND' | 'OR' = 'AND'): number[] => {
    const expr = matchExpression(queryTerms(q), op);
    return expr ? (db.prepare('SELECT rowid FROM f WHERE f MATCH ? ORDER BY rowid').all(expr) as { rowid: number }[]).map((r) => r.rowid) : [];
  };
}

test('a Han run becomes overlapping bigrams plus its last character', () => {
  assert.deepEqual(bigrams('轴承温度'), ['轴承', '承温', '温度', '度']);
  assert.deepEqual(bigrams('泵'), ['泵']);
  assert.equal(indexText('泵E-07故障').replace(/\s+/g, ' ').trim(), '泵 E07 故障 障');
});

test('two-character words match inside longer runs (the trigram tokenizer cannot do this)', () => {
  const find = fts();
  assert.deepEqual(find('轴承'), [0]);
  // The dictionary segmenter cuts 空压机排气温度过高 as 排|气温|度过|高: 温度 must still find it.
  assert.deepEqual(find('温度'), [0, 1, 5]);
  assert.deepEqual(find('温度过高'), [0, 1]);
});

test('three-character and single-character words', () => {
  const find = fts();
  assert.deepEqual(find('离心泵'), [0]);
  assert.deepEqual(find('空压机'), [1]);
  assert.deepEqual(find('泵'), [0]);
  assert.deepEqual(find('压机排'), [1]);
  assert.deepEqual(find('机排气'), [1]);
});

test('English stems: bearings finds bearing, regreasing finds regrease', () => {
  const find = fts();
  assert.deepEqual(find('bearing'), [2]);
  assert.deepEqual(find('BEARINGS'), [2]);
  assert.deepEqual(find('overcurrent'), [4]);
});

test('fault codes stay whole: E-07, E07 and full-width Ｅ－０７ are one code, and E-071 is another', () => {
  const find = fts();
  assert.deepEqual(find('E-07'), [3]);
  assert.deepEqual(find('e07'), [3]);
  assert.deepEqual(find('Ｅ－０７'), [3]);
  assert.deepEqual(find('OC1'), [4]);
  assert.deepEqual(find('E-071'), [6]);
  assert.deepEqual(find('E-70'), [6]);
});

test('mixed Chinese and English: all words, or any of them when no article has all', () => {
  const find = fts();
  assert.deepEqual(find('E-07 电机'), [3]);
  assert.deepEqual(find('轴承 bearings'), []);
  assert.deepEqual(find('轴承 bearings', 'OR'), [0, 2]);
});

test('nonsense finds nothing; FTS5 syntax typed by a user is taken as words, never as syntax', () => {
  const find = fts();
  assert.deepEqual(find('xyzzy plugh'), []);
  for (const q of ['"unbalanced', 'bearing"', 'NEAR(bearing', 'body:pump', 'pump AND', 'OR', 'NOT bearing', '*', '^bear', 'a"b"c', '(((', '-', '轴承"', "'; DROP TABLE f; --", '\u0000', 'bearing*']) {
    assert.doesNotThrow(() => find(q), q);
  }
  // A column filter typed by a user is two words, not a filter.
  assert.deepEqual(find('bearings:pump'), [2]);
  assert.deepEqual(find('NOT bearing'), []);
  assert.deepEqual(find('"*()^'), []);
  assert.equal(matchExpression(queryTerms('  !!! ')), null);
});

test('queries are capped at 16 words of 64 characters', () => {
  const terms = queryTerms(Array.from({ length: 40 }, (_, i) => `w${i}x`).join(' ') + ' ' + 'a'.repeat(500));
  assert.equal(terms.length, 16);
  assert.ok(terms.every((t) => t.fts.length <= 70));
});

test('highlights mark the words in the original text, codes with or without their hyphen', () => {
  const s = highlight('The pump bearings overheat. Fault E-07 shown.', queryTerms('bearing e07'));
  assert.deepEqual(s.marks.map(([a, b]) => s.text.slice(a, b)), ['bearings', 'E-07']);
  const zh = highlight('离心泵轴承温度过高的处理', queryTerms('轴承'));
  assert.deepEqual(zh.marks.map(([a, b]) => zh.text.slice(a, b)), ['轴承']);
  const md = highlight('## 轴承温度过高\n\n- **Check** the [grease](x)\n\n| a | b |\n| --- | --- |', queryTerms('轴承'));
  assert.equal(md.text, '轴承温度过高 Check the grease a b');
  const long = highlight(`${'x '.repeat(200)}轴承`, queryTerms('轴承'), 40);
  assert.ok(long.text.startsWith('…') && long.marks.length === 1);
});

test('language, tag keys and codes found in text', () => {
  assert.equal(detectLanguage('轴承温度过高'), 'zh-CN');
  assert.equal(detectLanguage('Bearing temperature high'), 'en');
  assert.equal(tagKey('BRG 6205-2RS'), 'brg62052rs');
  assert.equal(tagKey('E-07'), tagKey('e07'));
  assert.deepEqual(findCodes('显示 E07 与 OC1，不是 E-071', ['E-07', 'OC1', 'E-08']), ['E-07', 'OC1']);
});
