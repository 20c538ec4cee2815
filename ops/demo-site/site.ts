// The demo factory: one site, three machines, their profiles and rules. Data only; the box seeds it.
import type { DeviceProfile, MaintenancePlan } from '../../appliance/src/domain/index.ts';

export const DEMO_SITE = { id: 'demo-plant', name: 'Demo Plant 演示工厂', timezone: 'Asia/Shanghai' };

export const DEMO_ZONES = [
  { id: 'pump-house', siteId: DEMO_SITE.id, name: 'Pump house 泵房' },
  { id: 'utility-room', siteId: DEMO_SITE.id, name: 'Utility room 动力站' },
];

export const DEMO_ASSETS = [
  { id: 'pump-p101', siteId: DEMO_SITE.id, zoneId: 'pump-house', name: 'Cooling water pump P-101', type: 'centrifugal_pump', criticality: 3 },
  { id: 'chiller-ch1', siteId: DEMO_SITE.id, zoneId: 'utility-room', name: 'Chiller CH-1', type: 'chiller', criticality: 2 },
  { id: 'compressor-ac1', siteId: DEMO_SITE.id, zoneId: 'utility-room', name: 'Air compressor AC-1', type: 'air_compressor', criticality: 2 },
];

export const DEMO_PROFILES: DeviceProfile[] = [
  {
    id: 'pump-monitor',
    name: 'Pump condition monitor',
    points: [
      { key: 'vibration', name: 'Vibration velocity (RMS)', unit: 'mm/s', min: 0, max: 100 },
      { key: 'bearing_temp', name: 'Bearing temperature', unit: '°C', min: -40, max: 200 },
      { key: 'motor_current', name: 'Motor current', unit: 'A', min: 0, max: 500 },
    ],
    rules: [
      { kind: 'threshold', type: 'bearing_overheat', point: 'bearing_temp', hysteresis: 3,
        levels: [{ severity: 'MAJOR', above: 80, forS: 30 }, { severity: 'CRITICAL', above: 95, forS: 10 }], ticket: { minSeverity: 'MAJOR', category: 'mechanical' } },
      // Trend to threshold: a preventive work order while the bearing's 1-minute trend reaches 80 °C within 3 minutes.
      { kind: 'forecast', type: 'bearing_overheat_forecast', point: 'bearing_temp', of: 'bearing_overheat', windowS: 60, leadTimeS: 180, severity: 'MINOR', ticket: { minSeverity: 'MINOR', category: 'mechanical' } },
      // ISO 10816-3 group 2 (15-300 kW), rigid foundation: zone C from 2.8 mm/s (WARNING), zone D from 4.5 mm/s (MAJOR).
      { kind: 'zone', type: 'vibration_high', point: 'vibration', machineGroup: 2, foundation: 'rigid', forS: 30, hysteresis: 0.3, ticket: { minSeverity: 'MAJOR', category: 'mechanical' } },
      { kind: 'rate', type: 'bearing_temp_rising', point: 'bearing_temp', maxPerMin: 10, windowS: 60, severity: 'MINOR' },
      { kind: 'stale', type: 'no_data', point: 'bearing_temp', afterS: 60, severity: 'WARNING' },
      { kind: 'offline', type: 'device_offline', severity: 'MAJOR' },
    ],
  },
  {
    id: 'chiller-controller',
    name: 'Chiller controller',
    points: [
      { key: 'supply_temp', name: 'Chilled water supply', unit: '°C', min: -10, max: 50 },
      { key: 'return_temp', name: 'Chilled water return', unit: '°C', min: -10, max: 50 },
      { key: 'compressor_current', name: 'Compressor current', unit: 'A', min: 0, max: 800 },
    ],
    rules: [
      { kind: 'threshold', type: 'supply_temp_high', point: 'supply_temp', hysteresis: 0.5, levels: [{ severity: 'MINOR', above: 12, forS: 120 }], ticket: { minSeverity: 'MINOR', category: 'hvac' } },
      { kind: 'offline', type: 'device_offline', severity: 'MAJOR' },
    ],
  },
  {
    id: 'air-compressor',
    name: 'Screw air compressor',
    points: [
      { key: 'discharge_pressure', name: 'Discharge pressure', unit: 'bar', min: 0, max: 20 },
      { key: 'discharge_temp', name: 'Discharge temperature', unit: '°C', min: -20, max: 200 },
      { key: 'motor_current', name: 'Motor current', unit: 'A', min: 0, max: 500 },
    ],
    rules: [
      { kind: 'threshold', type: 'pressure_low', point: 'discharge_pressure', hysteresis: 0.2, levels: [{ severity: 'MAJOR', below: 6, forS: 30 }], ticket: { minSeverity: 'MAJOR', category: 'mechanical' } },
      { kind: 'threshold', type: 'discharge_overheat', point: 'discharge_temp', hysteresis: 2, levels: [{ severity: 'MAJOR', above: 110, forS: 30 }], ticket: { minSeverity: 'MAJOR', category: 'mechanical' } },
      { kind: 'offline', type: 'device_offline', severity: 'MAJOR' },
    ],
  },
];

/** Usage-based and calendar maintenance per asset type, whichever interval comes first (typical vendor intervals). */
export const DEMO_PLANS: MaintenancePlan[] = [
  {
    assetType: 'centrifugal_pump', running: { point: 'motor_current', above: 10 },
    tasks: [
      { id: 'bearing_regrease', title: 'Bearing regrease', everyRunH: 2000, everyDays: 182 },
      { id: 'seal_inspection', title: 'Mechanical seal inspection', everyRunH: 8000, everyDays: 365 },
    ],
  },
  {
    // Loaded hours and load cycles: the compressor's motor current is above 60 A only while loaded.
    assetType: 'air_compressor', running: { point: 'motor_current', above: 60 },
    tasks: [
      { id: 'oil_filter_change', title: 'Oil and oil filter change', everyRunH: 4000, everyDays: 365 },
      { id: 'contactor_check', title: 'Load/unload valve and contactor check', everyStarts: 100_000, everyDays: 365 },
    ],
  },
];

/** Demo credentials are public by design: they exist only while no real device is configured. */
export const DEMO_DEVICES = [
  { id: 'pump-p101-cm', siteId: DEMO_SITE.id, assetId: 'pump-p101', profileId: 'pump-monitor', name: 'P-101 condition monitor', password: 'demo-pump-p101' },
  { id: 'chiller-ch1-ctl', siteId: DEMO_SITE.id, assetId: 'chiller-ch1', profileId: 'chiller-controller', name: 'CH-1 controller', password: 'demo-chiller-ch1' },
  { id: 'compressor-ac1-ctl', siteId: DEMO_SITE.id, assetId: 'compressor-ac1', profileId: 'air-compressor', name: 'AC-1 controller', password: 'demo-compressor-ac1' },
];

/** Compresses the rules' durations by the demo's speedup, so a sped-up demo keeps its story. */
export function scaledProfiles(speedup: number): DeviceProfile[] {
  const k = (s: number) => Math.max(1, Math.round(s / speedup));
  return DEMO_PROFILES.map((p) => ({
    ...p,
    rules: p.rules.map((r) => {
      switch (r.kind) {
        case 'threshold': return { ...r, levels: r.levels.map((l) => ({ ...l, forS: l.forS === undefined ? undefined : k(l.forS) })) };
        case 'rate': return { ...r, windowS: k(r.windowS), maxPerMin: r.maxPerMin * speedup };
        case 'stale': return { ...r, afterS: Math.max(5, k(r.afterS)) };
        case 'zone': return { ...r, forS: r.forS === undefined ? undefined : k(r.forS) };
        case 'forecast': return { ...r, windowS: k(r.windowS), leadTimeS: k(r.leadTimeS) };
        default: return r;
      }
    }),
  }));
}
