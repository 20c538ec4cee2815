// SLA's one door: clocks and the escalation ladder per work order, policies and site calendars.
export { createSla, DEFAULT_POLICIES, type Sla, type SlaView, type SlaSummary, type SiteCalendar, type SlaConfig } from './sla.ts';
