// The words of an alert in zh-CN and en: a short title and a body with ticket, asset, zone, priority, deadline and link.
import type { AlertReason, Severity } from '../../domain/index.ts';

export interface MessageFacts {
  reason: AlertReason;
  level: number | null;
  ticketId: string;
  ticketTitle: string;
  priority: Severity;
  assetName: string | null;
  zoneName: string | null;
  ackDueTs: number;
  url: string;
  timeZone: string;
}

const WORDS = {
  en: {
    assigned: 'New job', escalated: (n: number | null) => `Escalated (level ${n ?? 1})`, sla_warning: 'SLA warning', sla_breached: 'SLA breached',
    CRITICAL: 'Critical', MAJOR: 'Major', MINOR: 'Minor', WARNING: 'Warning',
    ticket: 'Ticket', asset: 'Asset', zone: 'Zone', priority: 'Priority', ackBy: 'Acknowledge by', open: 'Open', none: '-',
  },
  'zh-CN': {
    assigned: '新工单', escalated: (n: number | null) => `工单升级（第 ${n ?? 1} 级）`, sla_warning: 'SLA 即将超时', sla_breached: 'SLA 已超时',
    CRITICAL: '紧急', MAJOR: '重要', MINOR: '次要', WARNING: '提示',
    ticket: '工单', asset: '设备', zone: '区域', priority: '优先级', ackBy: '请在此前确认', open: '打开', none: '-',
  },
} as const;

function reasonText(lang: 'zh-CN' | 'en', reason: AlertReason, level: number | null): string {
  const w = WORDS[lang];
  return reason === 'escalated' ? w.escalated(level) : w[reason];
}

/** Building an Intl formatter costs far more than using one: one per language and time zone. */
const FORMATTERS = new Map<string, Intl.DateTimeFormat>();

function clockTime(ts: number, timeZone: string, lang: string): string {
  try {
    const key = `${lang}|${timeZone}`;
    let f = FORMATTERS.get(key);
    if (!f) FORMATTERS.set(key, (f = new Intl.DateTimeFormat(lang, { timeZone, hour: '2-digit', minute: '2-digit', hour12: false })));
    return f.format(ts);
  } catch {
    return new Date(ts).toISOString().slice(11, 16) + ' UTC';
  }
}

/** Title and body lines; each channel lays them out in its own markup. */
export function renderMessage(lang: 'zh-CN' | 'en', f: MessageFacts): { title: string; lines: string[]; body: string } {
  const w = WORDS[lang];
  const sep = lang === 'en' ? ': ' : '：';
  const title = `[${w[f.priority]}] ${reasonText(lang, f.reason, f.level)}${sep}${f.ticketTitle}`;
  const lines = [
    `${w.ticket}${sep}${f.ticketId}`,
    `${w.asset}${sep}${f.assetName ?? w.none}`,
    `${w.zone}${sep}${f.zoneName ?? w.none}`,
    `${w.priority}${sep}${w[f.priority]}`,
    `${w.ackBy}${sep}${clockTime(f.ackDueTs, f.timeZone, lang)}`,
  ];
  return { title, lines, body: lines.join('\n') };
}

/** The link text for markdown channels. */
export function openWord(lang: 'zh-CN' | 'en'): string {
  return WORDS[lang].open;
}
