// The demo site's people, walkways, stores and spare parts: enough that its work orders dispatch on their own. Data only.
import { DEMO_SITE } from './site.ts';

const DAY = 24 * 3_600_000;
const WEEKDAYS = [1, 2, 3, 4, 5];
const ALL_WEEK = [1, 2, 3, 4, 5, 6, 7];

/** Two zones more than the machines need: where the spares are kept, and where the engineers start from. */
export const DEMO_EXTRA_ZONES = [
  { id: 'workshop', siteId: DEMO_SITE.id, name: 'Workshop 维修间' },
  { id: 'stores', siteId: DEMO_SITE.id, name: 'Spare-parts store 备件库' },
];

/** Walking minutes between zones (both ways). */
export const DEMO_WALKWAYS = [
  { a: 'workshop', b: 'pump-house', minutes: 4 },
  { a: 'pump-house', b: 'utility-room', minutes: 3 },
  { a: 'workshop', b: 'stores', minutes: 1 },
  { a: 'stores', b: 'utility-room', minutes: 6 },
];

/**
 * Four engineers with different trades, zones and shifts (one covering nights and on call), a supervisor and the
 * site manager for the escalation ladder. Logins (username) exist only while the demo runs.
 */
export function demoRoster(now: number) {
  const never = null;
  const year = now + 365 * DAY;
  return [
    {
      id: 'eng-li', username: 'li.wei', name: 'Li Wei 李伟', phone: '+86 138 0000 0001', role: 'engineer' as const,
      profile: {
        skills: [{ trade: 'mechanical', level: 3 }, { trade: 'general', level: 2 }], certificates: [{ name: 'working-at-height', expiresTs: year }],
        zones: ['pump-house', 'utility-room', 'workshop', 'stores'], homeZoneId: 'workshop', shifts: [{ days: WEEKDAYS, from: '08:00', to: '17:00' }], vanStoreId: 'van-li',
      },
    },
    {
      id: 'eng-wang', username: 'wang.fang', name: 'Wang Fang 王芳', phone: '+86 138 0000 0002', role: 'engineer' as const,
      profile: {
        skills: [{ trade: 'hvac', level: 3 }, { trade: 'mechanical', level: 2 }], certificates: [{ name: 'refrigerant-handling', expiresTs: year }],
        zones: ['utility-room', 'pump-house', 'stores'], homeZoneId: 'utility-room', shifts: [{ days: [1, 2, 3, 4, 5, 6], from: '08:00', to: '17:00' }], vanStoreId: 'van-wang',
      },
    },
    {
      id: 'eng-zhang', username: 'zhang.min', name: 'Zhang Min 张敏', phone: '+86 138 0000 0003', role: 'engineer' as const,
      profile: {
        skills: [{ trade: 'electrical', level: 3 }, { trade: 'mechanical', level: 1 }],
        certificates: [{ name: 'electrical-licence', expiresTs: year }, { name: 'electrical-hv', expiresTs: year }],
        zones: [], homeZoneId: 'workshop', shifts: [{ days: ALL_WEEK, from: '16:00', to: '00:00' }],
      },
    },
    {
      // Nights, and on call round the clock for the next month (renewed at each start), so the demo always has someone.
      id: 'eng-chen', username: 'chen.jie', name: 'Chen Jie 陈杰', phone: '+86 138 0000 0004', role: 'engineer' as const,
      profile: {
        skills: [{ trade: 'mechanical', level: 2 }, { trade: 'hvac', level: 2 }, { trade: 'general', level: 1 }],
        certificates: [{ name: 'refrigerant-handling', expiresTs: never }],
        zones: [], homeZoneId: 'workshop', shifts: [{ days: ALL_WEEK, from: '00:00', to: '08:00' }], onCall: [{ fromTs: now - DAY, toTs: now + 30 * DAY }],
      },
    },
    { id: 'sup-zhao', username: null, name: 'Zhao Lei 赵磊 (supervisor)', phone: '+86 138 0000 0005', role: 'supervisor' as const, profile: { zones: [], homeZoneId: 'workshop' } },
    { id: 'mgr-sun', username: null, name: 'Sun Li 孙丽 (site manager)', phone: '+86 138 0000 0006', role: 'manager' as const, profile: {} },
  ].map((e) => ({ ...e, siteId: DEMO_SITE.id, active: true }));
}

/** The demo's catalogue: each part names the jobs (alarm types) it is needed for. */
export const DEMO_PARTS = [
  { sku: 'BRG-6205-2RS', nameEn: 'Deep-groove ball bearing 6205-2RS', nameZh: '深沟球轴承 6205-2RS', lowStock: 2, fits: { assetTypes: ['centrifugal_pump'], alarmTypes: ['bearing_overheat', 'bearing_overheat_forecast', 'vibration_high'] } },
  { sku: 'SEAL-MG1-25', nameEn: 'Mechanical seal MG1 25 mm', nameZh: '机械密封 MG1 25mm', lowStock: 1, fits: { assetTypes: ['centrifugal_pump'], alarmTypes: [] } },
  { sku: 'FLT-OIL-AC', nameEn: 'Compressor oil filter', nameZh: '空压机油滤', lowStock: 2, fits: { assetTypes: ['air_compressor'], alarmTypes: ['discharge_overheat'] } },
  { sku: 'VLV-INLET-AC', nameEn: 'Inlet (unloader) valve kit', nameZh: '进气阀修理包', lowStock: 1, fits: { assetTypes: ['air_compressor'], alarmTypes: ['pressure_low'] } },
  { sku: 'REF-R134A-5', nameEn: 'Refrigerant R134a, 5 kg', nameZh: '制冷剂 R134a 5kg', lowStock: 1, fits: { assetTypes: ['chiller'], alarmTypes: ['supply_temp_high'] } },
];

export const DEMO_STORES = [
  { id: 'main-store', siteId: DEMO_SITE.id, kind: 'site' as const, name: 'Main store 备件库', zoneId: 'stores', engineerId: null },
  { id: 'van-li', siteId: DEMO_SITE.id, kind: 'van' as const, name: "Li Wei's van 李伟的车", zoneId: null, engineerId: 'eng-li' },
  { id: 'van-wang', siteId: DEMO_SITE.id, kind: 'van' as const, name: "Wang Fang's van 王芳的车", zoneId: null, engineerId: 'eng-wang' },
];

/** Opening stock (only set when the store has no count for the part yet: the demo does not undo its own consumption). */
export const DEMO_STOCK: [store: string, sku: string, qty: number][] = [
  ['main-store', 'BRG-6205-2RS', 4], ['main-store', 'SEAL-MG1-25', 2], ['main-store', 'FLT-OIL-AC', 3], ['main-store', 'VLV-INLET-AC', 1], ['main-store', 'REF-R134A-5', 2],
  ['van-li', 'BRG-6205-2RS', 1], ['van-wang', 'REF-R134A-5', 1],
];
