// i18n for the operator pages: zh-CN and en dictionaries, the chosen language, and formatters for times and numbers.

import { AREAS } from './i18n/index.js';

const STORAGE_KEY = 'outpost.lang';
export const LANGS = /** @type {const} */ (['zh-CN', 'en']);

/** @type {Record<string, Record<string, string>>} */
export const DICTS = {
  en: {
    'app.title': 'Outpost operator console',
    'app.brand': 'Outpost',
    'lang.label': 'Language',
    'nav.overview': 'Overview',
    'nav.live': 'Live charts',
    'nav.alarms': 'Alarms',
    'nav.tickets': 'Tickets',
    'header.site': 'Site',
    'header.logout': 'Log out',
    'header.live': 'Live',
    'header.reconnecting': 'Reconnecting…',
    'role.admin': 'admin',
    'role.operator': 'operator',

    'login.title': 'Sign in to Outpost',
    'login.subtitle': 'Operator console of this site',
    'login.username': 'Username',
    'login.password': 'Password',
    'login.submit': 'Sign in',
    'login.submitting': 'Signing in…',
    'login.invalid': 'Wrong username or password.',
    'login.failed': 'Sign-in failed: {message}',
    'login.expired': 'Your session has ended. Please sign in again.',

    'common.loading': 'Loading…',
    'common.none': '—',
    'common.error': 'Error: {message}',
    'common.networkError': 'The box cannot be reached. Retrying…',
    'common.noSite': 'No site is configured on this box.',
    'common.back': 'Back',
    'common.showAll': 'All',
    'common.showActive': 'Active',
    'common.showOpen': 'Open',
    'common.count': '{n} shown',
    'common.details': 'Details',
    'chart.time': 'Time',

    'state.ok': 'OK',
    'state.alarm': 'Alarm',
    'state.offline': 'Offline',
    'device.online': 'online',
    'device.offline': 'offline',
    'device.unknown': 'unknown',

    'sev.CRITICAL': 'Critical',
    'sev.MAJOR': 'Major',
    'sev.MINOR': 'Minor',
    'sev.WARNING': 'Warning',

    'alarmStatus.ACTIVE_UNACK': 'Active, unacknowledged',
    'alarmStatus.ACTIVE_ACK': 'Active, acknowledged',
    'alarmStatus.CLEARED_UNACK': 'Cleared, unacknowledged',
    'alarmStatus.CLEARED_ACK': 'Cleared, acknowledged',

    'ticketStatus.new': 'New',
    'ticketStatus.assigned': 'Assigned',
    'ticketStatus.in_progress': 'In progress',
    'ticketStatus.resolved': 'Resolved',
    'ticketStatus.closed': 'Closed',
    'ticketStatus.cancelled': 'Cancelled',

    'ticketAction.assigned': 'Assign',
    'ticketAction.in_progress': 'Start work',
    'ticketAction.reopen': 'Reopen',
    'ticketAction.resolved': 'Resolve',
    'ticketAction.closed': 'Close',
    'ticketAction.cancelled': 'Cancel',

    'alarmType.bearing_overheat': 'Bearing overheat',
    'alarmType.bearing_temp_rising': 'Bearing temperature rising fast',
    'alarmType.vibration_high': 'High vibration',
    'alarmType.no_data': 'No data',
    'alarmType.device_offline': 'Device offline',
    'alarmType.supply_temp_high': 'Chilled water supply too warm',
    'alarmType.pressure_low': 'Low discharge pressure',
    'alarmType.discharge_overheat': 'Discharge overheat',
    'alarmType.overheat': 'Overheat',
    'alarmType.bearing_overheat_forecast': 'Bearing overheat predicted',
    'alarmType.overheat_forecast': 'Overheat predicted',
    'alarmType.maintenance_bearing_regrease': 'Bearing regrease (scheduled)',
    'alarmType.maintenance_seal_inspection': 'Mechanical seal inspection (scheduled)',
    'alarmType.maintenance_oil_filter_change': 'Oil and oil filter change (scheduled)',
    'alarmType.maintenance_contactor_check': 'Load valve and contactor check (scheduled)',

    'ruleKind.threshold': 'threshold',
    'ruleKind.rate': 'rate of change',
    'ruleKind.stale': 'no data',
    'ruleKind.offline': 'offline',

    'overview.title': 'Site overview',
    'overview.assets': '{n} assets',
    'overview.summary.ok': '{n} OK',
    'overview.summary.alarm': '{n} in alarm',
    'overview.summary.offline': '{n} offline',
    'overview.noDevices': 'No devices',
    'overview.noValues': 'No readings yet',
    'overview.unassigned': 'Devices without asset',
    'overview.rejected': '{n} rejected',
    'overview.rejectedTitle': 'Messages rejected from this device since start',
    'overview.lastSeen': 'last seen {when}',
    'overview.zoneNone': 'No zone',
    'overview.timezone': 'Times in {tz}',

    'device.title': 'Device {name}',
    'device.id': 'ID',
    'device.asset': 'Asset',
    'device.profile': 'Profile',
    'device.status': 'Status',
    'device.lastSeen': 'Last seen',
    'device.points': 'Latest values',
    'device.point': 'Point',
    'device.value': 'Value',
    'device.time': 'Time',
    'device.rejects': 'Rejected messages',
    'device.rejectCount': '{n} rejected since start',
    'device.rejectCode': 'Code',
    'device.rejectMessage': 'Message',
    'device.noRejects': 'No rejected messages.',
    'device.openCharts': 'Open live charts',
    'device.alarms': 'Active alarms',
    'device.noAlarms': 'No active alarms.',
    'modbus.link': 'Field link (Modbus)',
    'modbus.address': 'Address',
    'modbus.unitId': 'Unit id',
    'modbus.family': 'Device family',
    'modbus.pollEvery': 'Polled every',
    'modbus.ms': '{n} ms',
    'modbus.blocks': 'Block reads per poll',
    'modbus.lastPoll': 'Last poll',
    'modbus.lastOk': 'Last answer',
    'modbus.lastError': 'Last error',
    'modbus.noError': 'None since start.',
    'modbus.parity.none': 'no parity',
    'modbus.parity.even': 'even parity',
    'modbus.parity.odd': 'odd parity',
    'modbus.parityLabel': 'Parity',
    'modbus.add': 'Add Modbus device',
    'modbus.addTitle': 'Add a Modbus device',
    'modbus.adminOnly': 'Only an admin can add devices.',
    'modbus.host': 'Host (gateway or device IP)',
    'modbus.port': 'TCP port',
    'modbus.path': 'Serial port',
    'modbus.baud': 'Baud rate',
    'modbus.points': 'Points: {list} (✎ writable)',
    'modbus.deviceId': 'Device id',
    'modbus.name': 'Name',
    'modbus.transport': 'Transport',
    'modbus.pollMs': 'Poll interval (ms)',
    'modbus.submit': 'Add device',
    'modbus.added': 'Device {id} added; polling started.',

    'live.title': 'Live charts',
    'live.device': 'Device',
    'live.pick': 'Choose a device',
    'live.window': 'Last 15 minutes, updated live',
    'live.noPoints': 'This device has no points.',
    'live.noData': 'No readings in the last 15 minutes.',

    'alarms.title': 'Alarms',
    'alarms.severity': 'Severity',
    'alarms.type': 'Type',
    'alarms.device': 'Device / asset',
    'alarms.status': 'Status',
    'alarms.start': 'Started',
    'alarms.actions': 'Actions',
    'alarms.ack': 'Ack',
    'alarms.clear': 'Clear',
    'alarms.none': 'No alarms.',
    'alarms.noneActive': 'No active alarms.',
    'alarm.title': 'Alarm',
    'alarm.rule': 'Rule',
    'alarm.updated': 'Updated',
    'alarm.acked': 'Acknowledged',
    'alarm.cleared': 'Cleared',
    'alarm.details': 'Details',
    'alarm.tickets': 'Work orders',
    'detail.point': 'Point',
    'detail.value': 'Value',
    'detail.ts': 'Reading time',
    'detail.limit': 'Limit',
    'detail.hysteresis': 'Hysteresis',
    'detail.slopePerMin': 'Change per minute',
    'detail.maxPerMin': 'Allowed per minute',
    'detail.windowS': 'Window (s)',
    'detail.silentS': 'Silent for (s)',
    'detail.afterS': 'Allowed silence (s)',
    'detail.lastSeenTs': 'Last reading',
    'detail.online': 'Online',
    'detail.cleared': 'Cleared by',
    'detail.by': 'By',
    'common.yes': 'yes',
    'common.no': 'no',
    'alarm.notFound': 'Alarm {id} was not found.',
    'alarm.acked.toast': 'Alarm acknowledged.',
    'alarm.cleared.toast': 'Alarm cleared.',

    'tickets.title': 'Work orders',
    'tickets.id': 'No.',
    'tickets.titleCol': 'Title',
    'tickets.priority': 'Priority',
    'tickets.status': 'Status',
    'tickets.asset': 'Asset',
    'tickets.created': 'Created',
    'tickets.updated': 'Updated',
    'tickets.alarms': 'Alarms',
    'tickets.none': 'No work orders.',
    'tickets.noneOpen': 'No open work orders.',
    'ticket.title': 'Work order',
    'ticket.alarm': 'Alarm',
    'ticket.openAlarm': 'Open alarm',
    'ticket.alarmType': 'Alarm type',
    'ticket.timeline': 'Timeline',
    'ticket.evidence': 'Evidence',
    'ticket.alarmStart': 'alarm start',
    'ticket.noEvidence': 'No evidence recorded.',
    'ticket.actions': 'Move to',
    'ticket.note': 'Note (optional)',
    'ticket.noActions': 'No further moves: this work order is finished.',
    'ticket.moved': 'Work order moved to “{status}”.',
    'ticket.notFound': 'Work order {id} was not found.',
    'ticket.window': 'Window {from} – {to}',
    'ticket.serverTitle': 'Title',
    'ticket.derivedTitle': '{type} · {asset}',
    'ticket.predicted': 'Predicted crossing',
    'ticket.due': 'Due since',
    'ticket.forecast': 'Forecast',
    'ticket.forecastSummary': 'Trend {slope} per hour towards the limit {limit}: crossing predicted {central} (95% band {early} – {late}).',
    'ticket.schedule': 'Maintenance due',
    'ticket.scheduleReasons': 'Due by: {reasons}',
    'ticket.counters': 'Run hours {runH} · starts {starts} · cycles {cycles}',
    'chart.readings': 'Readings',
    'chart.trend': 'Trend',
    'chart.bandLow': 'Band low',
    'chart.bandHigh': 'Band high',
    'chart.limit': 'Limit {value}',
    'chart.fitted': 'forecast made',
    'chart.crossing': 'predicted crossing',
    'device.zone': 'Zone',
    'zone.title': 'ISO 10816-3 vibration zone',
    'zone.A': 'A · as new',
    'zone.B': 'B · long-term OK',
    'zone.C': 'C · limited operation',
    'zone.D': 'D · damage risk',

    'event.created': 'Created',
    'event.opened': 'Opened',
    'event.priority_raised': 'Priority raised',
    'event.alarm_cleared': 'Alarm cleared',
    'event.transition': 'Status changed',
    'event.status': 'Status changed',
    'event.alarm_attached': 'Alarm attached',
    'event.forecast_updated': 'Forecast updated',
    'event.alarm': 'Alarm update',
    'event.note': 'Note',
    'event.assigned': 'Assigned',
    'event.sla': 'SLA',
    'event.escalated': 'Escalated',
    'event.by': 'by {actor}',

    'time.justNow': 'just now',
  },

  'zh-CN': {
    'app.title': 'Outpost 值班控制台',
    'app.brand': 'Outpost',
    'lang.label': '语言',
    'nav.overview': '站点总览',
    'nav.live': '实时曲线',
    'nav.alarms': '告警',
    'nav.tickets': '工单',
    'header.site': '站点',
    'header.logout': '退出登录',
    'header.live': '实时',
    'header.reconnecting': '正在重连…',
    'role.admin': '管理员',
    'role.operator': '值班员',

    'login.title': '登录 Outpost',
    'login.subtitle': '本站点值班控制台',
    'login.username': '用户名',
    'login.password': '密码',
    'login.submit': '登录',
    'login.submitting': '正在登录…',
    'login.invalid': '用户名或密码错误。',
    'login.failed': '登录失败：{message}',
    'login.expired': '会话已结束，请重新登录。',

    'common.loading': '加载中…',
    'common.none': '—',
    'common.error': '出错：{message}',
    'common.networkError': '无法连接到设备，正在重试…',
    'common.noSite': '本设备尚未配置站点。',
    'common.back': '返回',
    'common.showAll': '全部',
    'common.showActive': '活动',
    'common.showOpen': '未关闭',
    'common.count': '共 {n} 条',
    'common.details': '详情',
    'chart.time': '时间',

    'state.ok': '正常',
    'state.alarm': '告警',
    'state.offline': '离线',
    'device.online': '在线',
    'device.offline': '离线',
    'device.unknown': '未知',

    'sev.CRITICAL': '紧急',
    'sev.MAJOR': '重要',
    'sev.MINOR': '次要',
    'sev.WARNING': '提示',

    'alarmStatus.ACTIVE_UNACK': '活动·未确认',
    'alarmStatus.ACTIVE_ACK': '活动·已确认',
    'alarmStatus.CLEARED_UNACK': '已清除·未确认',
    'alarmStatus.CLEARED_ACK': '已清除·已确认',

    'ticketStatus.new': '新建',
    'ticketStatus.assigned': '已派工',
    'ticketStatus.in_progress': '处理中',
    'ticketStatus.resolved': '已解决',
    'ticketStatus.closed': '已关闭',
    'ticketStatus.cancelled': '已取消',

    'ticketAction.assigned': '派工',
    'ticketAction.in_progress': '开始处理',
    'ticketAction.reopen': '重新处理',
    'ticketAction.resolved': '标记已解决',
    'ticketAction.closed': '关闭',
    'ticketAction.cancelled': '取消工单',

    'alarmType.bearing_overheat': '轴承过热',
    'alarmType.bearing_temp_rising': '轴承温度上升过快',
    'alarmType.vibration_high': '振动过大',
    'alarmType.no_data': '数据中断',
    'alarmType.device_offline': '设备离线',
    'alarmType.supply_temp_high': '冷冻水供水温度过高',
    'alarmType.pressure_low': '排气压力过低',
    'alarmType.discharge_overheat': '排气温度过高',
    'alarmType.overheat': '过热',
    'alarmType.bearing_overheat_forecast': '预测轴承过热',
    'alarmType.overheat_forecast': '预测过热',
    'alarmType.maintenance_bearing_regrease': '轴承补充润滑脂（计划保养）',
    'alarmType.maintenance_seal_inspection': '机械密封检查（计划保养）',
    'alarmType.maintenance_oil_filter_change': '更换润滑油及油滤（计划保养）',
    'alarmType.maintenance_contactor_check': '加卸载阀与接触器检查（计划保养）',

    'ruleKind.threshold': '阈值',
    'ruleKind.rate': '变化率',
    'ruleKind.stale': '数据中断',
    'ruleKind.offline': '离线',

    'overview.title': '站点总览',
    'overview.assets': '{n} 个资产',
    'overview.summary.ok': '正常 {n}',
    'overview.summary.alarm': '告警 {n}',
    'overview.summary.offline': '离线 {n}',
    'overview.noDevices': '无设备',
    'overview.noValues': '暂无读数',
    'overview.unassigned': '未归属资产的设备',
    'overview.rejected': '拒收 {n}',
    'overview.rejectedTitle': '自启动以来被拒收的该设备消息数',
    'overview.lastSeen': '最后上报 {when}',
    'overview.zoneNone': '未分区',
    'overview.timezone': '时间均为 {tz}',

    'device.title': '设备 {name}',
    'device.id': '编号',
    'device.asset': '资产',
    'device.profile': '设备模型',
    'device.status': '状态',
    'device.lastSeen': '最后上报',
    'device.points': '最新读数',
    'device.point': '测点',
    'device.value': '数值',
    'device.time': '时间',
    'device.rejects': '被拒收的消息',
    'device.rejectCount': '自启动以来拒收 {n} 条',
    'device.rejectCode': '代码',
    'device.rejectMessage': '说明',
    'device.noRejects': '没有被拒收的消息。',
    'device.openCharts': '查看实时曲线',
    'device.alarms': '活动告警',
    'device.noAlarms': '没有活动告警。',
    'modbus.link': '现场链路（Modbus）',
    'modbus.address': '地址',
    'modbus.unitId': '从站地址',
    'modbus.family': '设备型号',
    'modbus.pollEvery': '轮询间隔',
    'modbus.ms': '{n} 毫秒',
    'modbus.blocks': '每次轮询的块读取数',
    'modbus.lastPoll': '上次轮询',
    'modbus.lastOk': '上次应答',
    'modbus.lastError': '最近错误',
    'modbus.noError': '启动以来无错误。',
    'modbus.parity.none': '无校验',
    'modbus.parity.even': '偶校验',
    'modbus.parity.odd': '奇校验',
    'modbus.parityLabel': '校验',
    'modbus.add': '添加 Modbus 设备',
    'modbus.addTitle': '添加 Modbus 设备',
    'modbus.adminOnly': '只有管理员可以添加设备。',
    'modbus.host': '主机（网关或设备 IP）',
    'modbus.port': 'TCP 端口',
    'modbus.path': '串口',
    'modbus.baud': '波特率',
    'modbus.points': '测点：{list}（✎ 可写）',
    'modbus.deviceId': '设备 ID',
    'modbus.name': '名称',
    'modbus.transport': '传输方式',
    'modbus.pollMs': '轮询间隔（毫秒）',
    'modbus.submit': '添加设备',
    'modbus.added': '设备 {id} 已添加，开始轮询。',

    'live.title': '实时曲线',
    'live.device': '设备',
    'live.pick': '选择设备',
    'live.window': '最近 15 分钟，实时更新',
    'live.noPoints': '该设备没有测点。',
    'live.noData': '最近 15 分钟没有读数。',

    'alarms.title': '告警',
    'alarms.severity': '级别',
    'alarms.type': '类型',
    'alarms.device': '设备 / 资产',
    'alarms.status': '状态',
    'alarms.start': '开始时间',
    'alarms.actions': '操作',
    'alarms.ack': '确认',
    'alarms.clear': '清除',
    'alarms.none': '没有告警。',
    'alarms.noneActive': '没有活动告警。',
    'alarm.title': '告警',
    'alarm.rule': '规则',
    'alarm.updated': '更新时间',
    'alarm.acked': '确认时间',
    'alarm.cleared': '清除时间',
    'alarm.details': '触发详情',
    'alarm.tickets': '相关工单',
    'detail.point': '测点',
    'detail.value': '数值',
    'detail.ts': '读数时间',
    'detail.limit': '限值',
    'detail.hysteresis': '回差',
    'detail.slopePerMin': '每分钟变化',
    'detail.maxPerMin': '每分钟允许变化',
    'detail.windowS': '时间窗（秒）',
    'detail.silentS': '已静默（秒）',
    'detail.afterS': '允许静默（秒）',
    'detail.lastSeenTs': '最后读数',
    'detail.online': '在线',
    'detail.cleared': '清除来源',
    'detail.by': '操作人',
    'common.yes': '是',
    'common.no': '否',
    'alarm.notFound': '未找到告警 {id}。',
    'alarm.acked.toast': '告警已确认。',
    'alarm.cleared.toast': '告警已清除。',

    'tickets.title': '工单',
    'tickets.id': '编号',
    'tickets.titleCol': '标题',
    'tickets.priority': '优先级',
    'tickets.status': '状态',
    'tickets.asset': '资产',
    'tickets.created': '创建时间',
    'tickets.updated': '更新时间',
    'tickets.alarms': '告警数',
    'tickets.none': '没有工单。',
    'tickets.noneOpen': '没有未关闭的工单。',
    'ticket.title': '工单',
    'ticket.alarm': '告警',
    'ticket.openAlarm': '打开告警',
    'ticket.alarmType': '告警类型',
    'ticket.timeline': '处理记录',
    'ticket.evidence': '证据曲线',
    'ticket.alarmStart': '告警开始',
    'ticket.noEvidence': '没有记录证据。',
    'ticket.actions': '转为',
    'ticket.note': '备注（可选）',
    'ticket.noActions': '工单已结束，无可用操作。',
    'ticket.moved': '工单已转为“{status}”。',
    'ticket.notFound': '未找到工单 {id}。',
    'ticket.window': '时间窗 {from} – {to}',
    'ticket.serverTitle': '原始标题',
    'ticket.derivedTitle': '{asset} · {type}',
    'ticket.predicted': '预计越限时间',
    'ticket.due': '到期时间',
    'ticket.forecast': '趋势预测',
    'ticket.forecastSummary': '趋势每小时 {slope}，朝向限值 {limit}：预计 {central} 越限（95% 置信带 {early} – {late}）。',
    'ticket.schedule': '保养到期',
    'ticket.scheduleReasons': '到期原因：{reasons}',
    'ticket.counters': '运行小时 {runH} · 启动次数 {starts} · 循环次数 {cycles}',
    'chart.readings': '读数',
    'chart.trend': '趋势',
    'chart.bandLow': '置信带下沿',
    'chart.bandHigh': '置信带上沿',
    'chart.limit': '限值 {value}',
    'chart.fitted': '预测时刻',
    'chart.crossing': '预计越限',
    'device.zone': '振动区域',
    'zone.title': 'ISO 10816-3 振动烈度区域',
    'zone.A': 'A · 新机状态',
    'zone.B': 'B · 可长期运行',
    'zone.C': 'C · 限期运行',
    'zone.D': 'D · 可能损坏',

    'event.created': '创建',
    'event.opened': '创建',
    'event.priority_raised': '优先级提高',
    'event.alarm_cleared': '告警已清除',
    'event.transition': '状态变更',
    'event.status': '状态变更',
    'event.alarm_attached': '关联告警',
    'event.forecast_updated': '预测已更新',
    'event.alarm': '告警更新',
    'event.note': '备注',
    'event.assigned': '派工',
    'event.sla': 'SLA',
    'event.escalated': '已升级',
    'event.by': '操作人 {actor}',

    'time.justNow': '刚刚',
  },
};
// Feature areas keep their own dictionaries (i18n/*.js) so that parallel work does not collide in this file.
for (const area of AREAS) for (const lang of /** @type {const} */ (['en', 'zh-CN'])) Object.assign(DICTS[lang], area[lang]);

/** Picks zh-CN for any Chinese browser locale, en otherwise: the two languages this console ships. */
export function defaultLang(navLangs = globalThis.navigator?.languages ?? [globalThis.navigator?.language ?? 'en']) {
  for (const l of navLangs) {
    if (!l) continue;
    if (l.toLowerCase().startsWith('zh')) return 'zh-CN';
    if (l.toLowerCase().startsWith('en')) return 'en';
  }
  return 'en';
}

function storedLang() {
  try {
    const v = globalThis.localStorage?.getItem(STORAGE_KEY);
    return v && v in DICTS ? v : null;
  } catch {
    return null; // storage can be disabled; the browser language still works
  }
}

let lang = storedLang() ?? defaultLang();
const listeners = new Set();

export function getLang() {
  return lang;
}

export function setLang(next) {
  if (!(next in DICTS) || next === lang) return;
  lang = next;
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, next);
  } catch {
    /* not kept across reloads, but the switch still works now */
  }
  if (globalThis.document) applyI18n(document);
  for (const fn of listeners) fn(lang);
}

export function onLangChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** Translates a key; {name} placeholders are filled from params. A missing key shows itself so it is noticed. */
export function t(key, params) {
  let s = DICTS[lang][key] ?? DICTS.en[key] ?? key;
  if (params) s = s.replace(/\{(\w+)\}/g, (m, k) => (k in params ? String(params[k]) : m));
  return s;
}

/** Translates a key when the dictionary has it, else returns the fallback (for server-side names like alarm types). */
export function tOr(key, fallback) {
  return key in DICTS[lang] ? DICTS[lang][key] : fallback;
}

/** Alarm types are free-form on the server: known ones are translated, others are made readable. */
export function alarmTypeLabel(type) {
  if (!type) return t('common.none');
  return tOr(`alarmType.${type}`, String(type).replace(/_/g, ' '));
}

/** Fills elements of static HTML marked with data-i18n (text), data-i18n-placeholder, data-i18n-title. */
export function applyI18n(root) {
  if (root.documentElement) root.documentElement.lang = lang;
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-placeholder]')) el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const el of root.querySelectorAll('[data-i18n-title]')) el.title = t(el.dataset.i18nTitle);
  for (const el of root.querySelectorAll('[data-i18n-aria-label]')) el.setAttribute('aria-label', t(el.dataset.i18nAriaLabel));
  const title = root.querySelector?.('title[data-i18n]');
  if (title && root.title !== undefined) root.title = title.textContent;
}

/** Wires a <select> as the language switch. */
export function bindLangSwitch(select) {
  select.replaceChildren(
    ...LANGS.map((l) => {
      const o = document.createElement('option');
      o.value = l;
      // Each language names itself so a user who cannot read the current one still finds theirs.
      o.textContent = l === 'zh-CN' ? '中文' : 'English';
      return o;
    }),
  );
  select.value = lang;
  select.addEventListener('change', () => setLang(select.value));
  onLangChange((l) => (select.value = l));
}

// ---- formatting -----------------------------------------------------------------------------

let timeZone; // the site's zone; undefined = the browser's

export function setTimeZone(tz) {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    timeZone = tz;
  } catch {
    timeZone = undefined; // an unknown zone name must not break every time on the page
  }
}

export function getTimeZone() {
  return timeZone;
}

const partsCache = new Map();

/** Date parts in the site's zone; the formatter is cached because tables format hundreds of times per redraw. */
function parts(ms) {
  const key = timeZone ?? '';
  let f = partsCache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    partsCache.set(key, f);
  }
  const o = {};
  for (const p of f.formatToParts(ms)) o[p.type] = p.value;
  return o;
}

/** Absolute time as 2026-05-04 13:07:09 in the site's zone: one unambiguous form that reads the same in both languages. */
export function fmtDateTime(ms) {
  if (ms == null) return t('common.none');
  const p = parts(ms);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

export function fmtTime(ms) {
  if (ms == null) return t('common.none');
  const p = parts(ms);
  return `${p.hour}:${p.minute}:${p.second}`;
}

/** "3 min ago" / "3 分钟前". */
export function fmtRelative(ms, now = Date.now()) {
  if (ms == null) return t('common.none');
  const diffS = Math.round((ms - now) / 1000);
  const abs = Math.abs(diffS);
  if (abs < 10) return t('time.justNow');
  const rtf = new Intl.RelativeTimeFormat(lang, { numeric: 'always', style: 'short' });
  if (abs < 60) return rtf.format(diffS, 'second');
  if (abs < 3600) return rtf.format(Math.trunc(diffS / 60), 'minute');
  if (abs < 86400) return rtf.format(Math.trunc(diffS / 3600), 'hour');
  return rtf.format(Math.trunc(diffS / 86400), 'day');
}

/** Readings keep three significant decimals at most: enough for an operator, short enough for a tile. */
export function fmtNumber(v) {
  if (v == null || Number.isNaN(v)) return t('common.none');
  return new Intl.NumberFormat(lang, { maximumFractionDigits: Math.abs(v) >= 100 ? 1 : 2 }).format(v);
}
