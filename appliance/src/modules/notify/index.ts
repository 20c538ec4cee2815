// Notify's one door: alerts to people over the live app stream, Web Push, group robots, an SMS gateway and MQTT.
export { createNotify, type Notify, type NotifyConfig, type LiveSink } from './notify.ts';
export type { Channel, GroupRobot } from './channels.ts';
export type { PushSubscriptionJson } from './push.ts';
