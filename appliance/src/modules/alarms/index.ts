// Alarms' one door.
export { createAlarms, type Alarms } from './alarms.ts';
