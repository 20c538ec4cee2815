// Manual import: front matter, one article per section, steps from ordered lists, per-section codes and parts; plain text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { displayBlocks, frontMatter, parseDocument, parseMarkdown, parsePlainText } from './markdown.ts';

const MANUAL = `---
title: Pump manual
asset_types: [centrifugal_pump]
fault_codes: E-07, E-12
parts: [BRG-6309, SEAL-45]
---
# Pump

Intro text about the pump.

## Bearing overheat

Check the grease.

1. Measure the **housing** temperature.
2. Regrease with [grease](http://x) 5 g.
3. Replace BRG-6309 if still hot.

### Notes

Sub-heading stays inside its section.

## E-07 Overcurrent

Shaft seized? Turn it by hand.

## Empty
`;

test('headings split a manual into articles titled by the document and the section', () => {
  const a = parseMarkdown(MANUAL, 'pump.md');
  assert.deepEqual(a.map((x) => x.title), ['Pump manual', 'Pump manual · Bearing overheat', 'Pump manual · E-07 Overcurrent']);
  assert.deepEqual(a.map((x) => x.key), ['(intro)', 'Bearing overheat', 'E-07 Overcurrent']);
  assert.match(a[1].body, /### Notes\n\nSub-heading stays inside/);
  assert.ok(!a[0].body.includes('Bearing overheat'));
});

test('steps come from the first ordered list, as plain text; kinds from headings', () => {
  const [intro, bearing, code] = parseMarkdown(MANUAL, 'pump.md');
  assert.deepEqual(bearing.steps, ['Measure the housing temperature.', 'Regrease with grease 5 g.', 'Replace BRG-6309 if still hot.']);
  assert.equal(intro.kind, 'manual');
  assert.equal(code.kind, 'fault_code');
  assert.deepEqual(code.steps, []);
});

test('document tags apply to every section; codes and parts only where the section mentions them', () => {
  const [intro, bearing, code] = parseMarkdown(MANUAL, 'pump.md');
  for (const a of [intro, bearing, code]) assert.deepEqual(a.tags.assetTypes, ['centrifugal_pump']);
  assert.deepEqual(bearing.tags.parts, ['BRG-6309']);
  assert.deepEqual(bearing.tags.faultCodes, []);
  assert.deepEqual(code.tags.faultCodes, ['E-07']);
  assert.deepEqual(intro.tags.parts, []);
});

test('front matter: lists in brackets or by commas, unknown keys ignored, none at all is fine', () => {
  const { header, rest } = frontMatter('---\nfoo: bar\ntrades: hvac，mechanical\nkind: procedure\nlanguage: zh\n---\nbody');
  assert.deepEqual(header.tags.trades, ['hvac', 'mechanical']);
  assert.equal(header.kind, 'procedure');
  assert.equal(header.language, 'zh-CN');
  assert.equal(rest, 'body');
  assert.equal(frontMatter('# no front matter').rest, '# no front matter');
});

test('a document without headings is one article named after the file; languages detected', () => {
  const [a] = parseMarkdown('轴承温度过高时，先检查润滑脂。', '轴承.md');
  assert.equal(a.title, '轴承');
  assert.equal(a.language, 'zh-CN');
  assert.equal(parseMarkdown('# Only a title\n', 'x.md').length, 0);
});

test('plain text: first line the title, a header block of tags, numbered lines as steps', () => {
  const [a] = parsePlainText('\nReset the chiller after FL-03\nfault_codes: FL-03\nkind: procedure\n\n1. Check the pump.\n2) Open the valve.\n3、复位。\n', 'reset.txt');
  assert.equal(a.title, 'Reset the chiller after FL-03');
  assert.equal(a.kind, 'procedure');
  assert.deepEqual(a.tags.faultCodes, ['FL-03']);
  assert.deepEqual(a.steps, ['Check the pump.', 'Open the valve.', '复位。']);
  assert.equal(parseDocument('Title\nbody', 'a.txt')[0].title, 'Title');
});

test('the demo manuals parse: the pump manual in both languages gives its bearing section with steps and parts', () => {
  for (const f of ['pump-p101.en.md', 'pump-p101.zh-CN.md']) {
    const a = parseMarkdown(readFileSync(new URL(`../../../../ops/demo-site/kb/${f}`, import.meta.url), 'utf8'), f);
    const bearing = a.find((x) => /Bearing overheat|轴承温度过高/.test(x.title))!;
    assert.equal(bearing.steps.length, 5, f);
    assert.deepEqual(bearing.tags.parts, ['BRG-6309-2Z'], f);
    assert.ok(a.some((x) => x.kind === 'fault_code' && x.tags.faultCodes.includes('E-07')), f);
  }
});

test('display blocks: headings, paragraphs, lists, tables as plain text; raw HTML never survives as markup', () => {
  const b = displayBlocks('### Steps\n\nUse **5 g**. <script>alert(1)</script>\n\n1. one\n2. [two](x)\n\n| code | meaning |\n| --- | --- |\n| E-07 | overcurrent |\n');
  assert.deepEqual(b[0], { type: 'heading', depth: 3, text: 'Steps' });
  assert.equal(b[1].type, 'paragraph');
  assert.deepEqual(b[2], { type: 'list', ordered: true, items: ['one', 'two'] });
  assert.deepEqual(b[3], { type: 'table', header: ['code', 'meaning'], rows: [['E-07', 'overcurrent']] });
  assert.ok(b.every((x) => x.type !== 'paragraph' || typeof x.text === 'string'));
});
