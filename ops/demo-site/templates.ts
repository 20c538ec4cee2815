// Checklists for the demo site's faults: the pump's bearing overheat and vibration, the compressor's low pressure,
// each step showing the live reading it is about and the band it should be back in.
import type { JobTemplate } from '../../appliance/src/domain/index.ts';

export const DEMO_TEMPLATES: JobTemplate[] = [
  {
    id: 'demo-pump-bearing-overheat', name: 'Pump bearing overheat', match: { assetType: 'centrifugal_pump', alarmType: 'bearing_overheat' },
    steps: [
      { id: 'loto', en: 'Stop P-101 and lock out its breaker', zh: '停泵 P-101 并对其断路器上锁挂牌' },
      { id: 'temp', en: 'Bearing temperature now (must fall below 70 °C once cooled and running)', zh: '当前轴承温度（冷却并运行后应低于 70 °C）', point: 'bearing_temp', expect: { max: 70 } },
      { id: 'grease', en: 'Check the grease: colour, amount, contamination; regrease with the specified grease', zh: '检查润滑脂颜色、用量和污染情况，按规定油脂补充', },
      { id: 'alignment', en: 'Check coupling alignment and the bearing housing bolts', zh: '检查联轴器对中和轴承座螺栓' },
      { id: 'current', en: 'Motor current after restart (normal 15–40 A)', zh: '重启后电机电流（正常 15–40 A）', point: 'motor_current', expect: { min: 15, max: 40 } },
      { id: 'watch', en: 'Watch the bearing temperature for 10 minutes after restart', zh: '重启后观察轴承温度 10 分钟', point: 'bearing_temp', expect: { max: 70 } },
    ],
  },
  {
    id: 'demo-pump-vibration', name: 'Pump high vibration', match: { assetType: 'centrifugal_pump', alarmType: 'vibration_high' },
    steps: [
      { id: 'vib-before', en: 'Vibration before work (ISO 10816-3 zone D above 4.5 mm/s)', zh: '处理前振动值（ISO 10816-3 超过 4.5 mm/s 为 D 区）', point: 'vibration' },
      { id: 'loto', en: 'Stop P-101 and lock out its breaker', zh: '停泵 P-101 并对其断路器上锁挂牌' },
      { id: 'bolts', en: 'Check foundation and baseplate bolts for looseness', zh: '检查地脚和底座螺栓是否松动' },
      { id: 'alignment', en: 'Check coupling alignment; realign if out of tolerance', zh: '检查联轴器对中，超差则重新对中' },
      { id: 'impeller', en: 'Check the impeller for clogging or damage', zh: '检查叶轮是否堵塞或损坏' },
      { id: 'vib-after', en: 'Vibration after restart (back in zone A/B: below 2.8 mm/s)', zh: '重启后振动值（回到 A/B 区：低于 2.8 mm/s）', point: 'vibration', expect: { max: 2.8 } },
    ],
  },
  {
    id: 'demo-compressor-pressure', name: 'Compressor low discharge pressure', match: { assetType: 'air_compressor', alarmType: 'pressure_low' },
    steps: [
      { id: 'pressure-before', en: 'Discharge pressure now (alarm below 6 bar)', zh: '当前排气压力（低于 6 bar 告警）', point: 'discharge_pressure' },
      { id: 'leaks', en: 'Walk the air lines and listen for leaks; check drains are closed', zh: '沿管路巡查漏气，确认排水阀已关闭' },
      { id: 'filter', en: 'Check the intake filter and the inlet valve', zh: '检查进气过滤器和进气阀' },
      { id: 'belt', en: 'Check the belt tension and the motor current', zh: '检查皮带张力和电机电流', point: 'motor_current' },
      { id: 'pressure-after', en: 'Discharge pressure after the fix (7–8 bar)', zh: '处理后排气压力（7–8 bar）', point: 'discharge_pressure', expect: { min: 6.5, max: 8.5 } },
    ],
  },
];
