// Group-robot webhook requests (WeCom, DingTalk, Feishu/Lark) and the SMS gateway body, as pure functions of a message.
import { createHmac } from 'node:crypto';

export interface RobotMessage { title: string; lines: string[]; url: string; linkText: string }
export interface HttpRequestSpec { url: string; headers: Record<string, string>; body: string }

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

/**
 * WeCom (企业微信) group robot: POST the webhook URL (…/cgi-bin/webhook/send?key=…) with
 * {"msgtype":"markdown","markdown":{"content":"…"}}; it answers 200 {"errcode":0,"errmsg":"ok"}.
 * Source: WeCom developer docs, 群机器人配置说明 (developer.work.weixin.qq.com/document/path/91770).
 */
export function wecomRequest(url: string, m: RobotMessage): HttpRequestSpec {
  const content = [`**${m.title}**`, ...m.lines.map((l) => `> ${l}`), `[${m.linkText}](${m.url})`].join('\n');
  return { url, headers: JSON_HEADERS, body: JSON.stringify({ msgtype: 'markdown', markdown: { content } }) };
}

/**
 * DingTalk custom robot: POST …/robot/send?access_token=… with {"msgtype":"markdown","markdown":{"title","text"}}.
 * With 加签 (a secret starting SEC…): string to sign = timestamp(ms) + "\n" + secret, HMAC-SHA256 keyed by the
 * secret, Base64, then URL-encoded into &timestamp=…&sign=… . Source: DingTalk open platform, 自定义机器人安全设置
 * (open.dingtalk.com/document/robots/customize-robot-security-settings).
 */
export function dingtalkSign(secret: string, timestampMs: number): string {
  return createHmac('sha256', secret).update(`${timestampMs}\n${secret}`, 'utf8').digest('base64');
}

export function dingtalkRequest(url: string, m: RobotMessage, secret: string | undefined, nowMs: number): HttpRequestSpec {
  const text = [`#### ${m.title}`, ...m.lines.map((l) => `- ${l}`), '', `[${m.linkText}](${m.url})`].join('\n');
  let target = url;
  if (secret) {
    const u = new URL(url);
    u.searchParams.set('timestamp', String(nowMs));
    u.searchParams.set('sign', dingtalkSign(secret, nowMs));
    target = u.toString();
  }
  return { url: target, headers: JSON_HEADERS, body: JSON.stringify({ msgtype: 'markdown', markdown: { title: m.title, text } }) };
}

/**
 * Feishu/Lark custom bot: POST …/open-apis/bot/v2/hook/… with {"msg_type":"interactive","card":{…}}; it answers
 * {"code":0,"msg":"success"}. With 签名校验: timestamp in SECONDS, and the HMAC-SHA256 KEY is timestamp + "\n" + secret
 * over an empty message, Base64; both go in the body as "timestamp" and "sign". Source: Feishu open platform,
 * 自定义机器人使用指南 (open.feishu.cn/document/client-docs/bot-v3/add-custom-bot).
 */
export function feishuSign(secret: string, timestampS: number): string {
  return createHmac('sha256', `${timestampS}\n${secret}`).update('').digest('base64');
}

export function feishuRequest(url: string, m: RobotMessage, secret: string | undefined, nowMs: number, critical: boolean): HttpRequestSpec {
  const card = {
    header: { title: { tag: 'plain_text', content: m.title }, template: critical ? 'red' : 'orange' },
    elements: [
      { tag: 'div', text: { tag: 'lark_md', content: m.lines.join('\n') } },
      { tag: 'action', actions: [{ tag: 'button', text: { tag: 'plain_text', content: m.linkText }, type: 'primary', url: m.url }] },
    ],
  };
  const signed: Record<string, string> = {};
  if (secret) {
    const ts = Math.floor(nowMs / 1000);
    signed.timestamp = String(ts);
    signed.sign = feishuSign(secret, ts);
  }
  return { url, headers: JSON_HEADERS, body: JSON.stringify({ ...signed, msg_type: 'interactive', card }) };
}

/**
 * The robots answer HTTP 200 even when they refuse a message; the refusal is in the JSON (errcode / code).
 * Their rate limits (WeCom 45009, DingTalk 130101, Feishu 11232) are worth a retry; any other code is a wrong
 * key, sign or keyword and is not.
 */
export function robotAnswer(kind: 'wecom' | 'dingtalk' | 'feishu', text: string): 'sent' | 'retry' | 'failed' {
  let j: Record<string, unknown>;
  try { j = JSON.parse(text) as Record<string, unknown>; } catch { return 'sent'; }
  const code = kind === 'feishu' ? (j.code ?? j.StatusCode) : j.errcode;
  if (code === undefined || code === 0) return 'sent';
  return [45009, 130101, 11232].includes(Number(code)) ? 'retry' : 'failed';
}

/** The generic SMS/voice gateway: JSON {to, text}, optional bearer token. */
export function smsRequest(url: string, token: string, to: string, text: string): HttpRequestSpec {
  return { url, headers: { ...JSON_HEADERS, ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify({ to, text }) };
}
