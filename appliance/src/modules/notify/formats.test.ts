// Robot request formats: the bodies each service documents, and signatures checked the way the service checks them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { dingtalkRequest, dingtalkSign, feishuRequest, feishuSign, robotAnswer, smsRequest, wecomRequest } from './formats.ts';
import { renderMessage } from './messages.ts';
import { ackDueTs, classifyHttp, personLang, retryDelayMs } from '../../domain/index.ts';

const m = { title: '[Critical] New job: Pump overheat', lines: ['Ticket: WO-1', 'Zone: Hall'], url: 'http://box/engineer/#/job/WO-1', linkText: 'Open' };

test('WeCom: markdown content with title, lines and link', () => {
  const r = wecomRequest('http://h/cgi-bin/webhook/send?key=k', m);
  const b = JSON.parse(r.body);
  assert.equal(b.msgtype, 'markdown');
  assert.match(b.markdown.content, /^\*\*\[Critical\] New job: Pump overheat\*\*\n> Ticket: WO-1\n> Zone: Hall\n\[Open\]\(http:\/\/box\/engineer\/#\/job\/WO-1\)$/);
});

test('DingTalk: markdown title+text; with a secret, timestamp and sign in the query verify as HMAC-SHA256(secret, ts\\nsecret)', () => {
  const plain = dingtalkRequest('http://h/robot/send?access_token=t', m, undefined, 1_700_000_000_123);
  assert.equal(plain.url, 'http://h/robot/send?access_token=t');
  const r = dingtalkRequest('http://h/robot/send?access_token=t', m, 'SECabc', 1_700_000_000_123);
  const u = new URL(r.url);
  assert.equal(u.searchParams.get('access_token'), 't');
  assert.equal(u.searchParams.get('timestamp'), '1700000000123');
  const expected = createHmac('sha256', 'SECabc').update('1700000000123\nSECabc').digest('base64');
  assert.equal(u.searchParams.get('sign'), expected);
  assert.equal(dingtalkSign('SECabc', 1_700_000_000_123), expected);
  const b = JSON.parse(r.body);
  assert.equal(b.msgtype, 'markdown');
  assert.equal(b.markdown.title, m.title);
  assert.match(b.markdown.text, /^#### .*\n- Ticket: WO-1\n- Zone: Hall\n\n\[Open\]\(/);
});

test('Feishu: interactive card; with a secret, timestamp (s) and sign in the body, keyed by ts\\nsecret over an empty string', () => {
  const r = feishuRequest('http://h/open-apis/bot/v2/hook/x', m, 'fs-secret', 1_700_000_000_999, true);
  const b = JSON.parse(r.body);
  assert.equal(b.msg_type, 'interactive');
  assert.equal(b.timestamp, '1700000000');
  assert.equal(b.sign, createHmac('sha256', '1700000000\nfs-secret').update(Buffer.alloc(0)).digest('base64'));
  assert.equal(b.sign, feishuSign('fs-secret', 1_700_000_000));
  assert.equal(b.card.header.title.content, m.title);
  assert.equal(b.card.header.template, 'red');
  assert.equal(b.card.elements[1].actions[0].url, m.url);
  const unsigned = JSON.parse(feishuRequest('http://h', m, undefined, 0, false).body);
  assert.equal(unsigned.sign, undefined);
  assert.equal(unsigned.card.header.template, 'orange');
});

test('robot answers: code 0 sent, rate limits retried, other codes failed', () => {
  assert.equal(robotAnswer('wecom', '{"errcode":0,"errmsg":"ok"}'), 'sent');
  assert.equal(robotAnswer('wecom', '{"errcode":93000,"errmsg":"invalid webhook url"}'), 'failed');
  assert.equal(robotAnswer('wecom', '{"errcode":45009}'), 'retry');
  assert.equal(robotAnswer('dingtalk', '{"errcode":310000,"errmsg":"sign not match"}'), 'failed');
  assert.equal(robotAnswer('feishu', '{"code":0,"msg":"success"}'), 'sent');
  assert.equal(robotAnswer('feishu', '{"code":19021,"msg":"sign match fail"}'), 'failed');
  assert.equal(robotAnswer('feishu', '{"code":11232}'), 'retry');
});

test('SMS gateway: {to, text} with a bearer token only when set', () => {
  const r = smsRequest('http://g/send', 'tok', '+8613800000000', 'hi');
  assert.deepEqual(JSON.parse(r.body), { to: '+8613800000000', text: 'hi' });
  assert.equal(r.headers.authorization, 'Bearer tok');
  assert.equal(smsRequest('http://g/send', '', '1', 'x').headers.authorization, undefined);
});

test('HTTP outcome, backoff, ack deadline and language', () => {
  assert.deepEqual([200, 201, 204, 400, 401, 404, 408, 429, 500, 503].map(classifyHttp), ['sent', 'sent', 'sent', 'failed', 'failed', 'failed', 'retry', 'retry', 'retry', 'retry']);
  assert.deepEqual([1, 2, 3, 4, 10].map((n) => retryDelayMs(n, 1000, 5000)), [1000, 2000, 4000, 5000, 5000]);
  const mins = { CRITICAL: 5, MAJOR: 15, MINOR: 30, WARNING: 60 };
  assert.equal(ackDueTs(1000, 'CRITICAL', mins), 1000 + 300_000);
  assert.equal(ackDueTs(0, 'WARNING', mins), 3_600_000);
  assert.equal(personLang({}), 'zh-CN');
  assert.equal(personLang({ lang: 'en' }), 'en');
  assert.equal(personLang({ lang: 'zh-CN' }), 'zh-CN');
});

test('messages: zh-CN and en carry ticket, asset, zone, priority and the deadline in the site time zone', () => {
  const f = { reason: 'escalated' as const, level: 2, ticketId: 'WO-9', ticketTitle: '泵过热', priority: 'MAJOR' as const, assetName: 'Pump A1', zoneName: 'Hall', ackDueTs: Date.UTC(2026, 0, 1, 6, 5), url: 'u', timeZone: 'Asia/Shanghai' };
  const zh = renderMessage('zh-CN', f);
  assert.equal(zh.title, '[重要] 工单升级（第 2 级）：泵过热');
  assert.deepEqual(zh.lines, ['工单：WO-9', '设备：Pump A1', '区域：Hall', '优先级：重要', '请在此前确认：14:05']);
  const en = renderMessage('en', { ...f, reason: 'assigned', assetName: null });
  assert.equal(en.title, '[Major] New job: 泵过热');
  assert.deepEqual(en.lines, ['Ticket: WO-9', 'Asset: -', 'Zone: Hall', 'Priority: Major', 'Acknowledge by: 14:05']);
});
