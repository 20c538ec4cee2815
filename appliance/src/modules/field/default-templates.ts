// The checklists every box starts with: one generic template per trade, so any work order has steps to work through.
import type { JobTemplate } from '../../domain/index.ts';

const s = (id: string, en: string, zh: string) => ({ id, en, zh });
const safety = s('safety', 'Make the work area safe (isolate, lock out, sign)', '确认作业区域安全（隔离、上锁挂牌、警示）');
const finish = [
  s('test', 'Test that it works as it should', '功能测试，确认恢复正常'),
  s('clean', 'Clean up the work area and remove the lock-out', '清理现场并解除上锁挂牌'),
];

export const DEFAULT_TEMPLATES: JobTemplate[] = [
  { id: 'generic', name: 'Generic job', match: {}, steps: [safety, s('inspect', 'Inspect and find the cause', '检查并找到原因'), s('fix', 'Fix or replace what failed', '修复或更换故障部件'), ...finish] },
  { id: 'trade-electrical', name: 'Electrical', match: { category: 'electrical' }, steps: [safety, s('dead', 'Prove dead before touching (tester checked on a live source)', '验电：确认无电后再作业'), s('inspect', 'Inspect wiring, terminals and protection devices', '检查接线、端子和保护装置'), s('fix', 'Repair or replace the faulty part', '维修或更换故障部件'), s('insulation', 'Measure insulation resistance where wiring was touched', '对改动线路测绝缘电阻'), ...finish] },
  { id: 'trade-plumbing', name: 'Plumbing', match: { category: 'plumbing' }, steps: [safety, s('isolate', 'Close the valves and drain the section', '关闭阀门并排空管段'), s('fix', 'Repair the leak or blockage', '修复漏水或堵塞'), s('pressure', 'Refill and check for leaks under pressure', '充水加压，检查无渗漏'), ...finish] },
  { id: 'trade-hvac', name: 'HVAC', match: { category: 'hvac' }, steps: [safety, s('filters', 'Check filters, coils and belts', '检查过滤网、盘管和皮带'), s('refrigerant', 'Check refrigerant pressures and temperatures', '检查冷媒压力和温度'), s('fix', 'Repair or adjust', '维修或调整'), ...finish] },
  { id: 'trade-mechanical', name: 'Mechanical', match: { category: 'mechanical' }, steps: [safety, s('inspect', 'Inspect for noise, heat, leaks and loose parts', '检查异响、发热、泄漏和松动'), s('lubricate', 'Lubricate and tighten as needed', '按需润滑和紧固'), s('fix', 'Repair or replace the worn part', '维修或更换磨损部件'), ...finish] },
  { id: 'trade-cleaning', name: 'Cleaning', match: { category: 'cleaning' }, steps: [s('ppe', 'Put on the right protective equipment', '穿戴合适的防护用品'), s('clean', 'Clean the area', '清洁区域'), s('waste', 'Dispose of waste correctly', '正确处置废弃物'), s('check', 'Check the result with the resident or operator', '与住户或值班员确认效果')] },
  { id: 'trade-security', name: 'Security', match: { category: 'security' }, steps: [s('scene', 'Check the scene is safe', '确认现场安全'), s('inspect', 'Inspect the device (camera, lock, barrier, alarm)', '检查设备（摄像机、门锁、道闸、报警器）'), s('fix', 'Repair or reset', '维修或复位'), s('test', 'Test with the control room', '与监控中心联调测试')] },
  { id: 'trade-it', name: 'IT', match: { category: 'it' }, steps: [s('inspect', 'Check power, links and status lights', '检查电源、链路和指示灯'), s('fix', 'Repair, reconfigure or replace', '维修、重新配置或更换'), s('test', 'Test the service end to end', '端到端测试业务')] },
];
