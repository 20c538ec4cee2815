// Extra panels on the work-order page, one per feature (SLA clocks, dispatch explanation, knowledge base ...).
// Each is `(ctx, detail, reload) => Node | null`; tickets.js draws them in order under the evidence.
import { verifyPanel } from './ticket-verify.js';
import { slaPanel } from './ticket-sla.js';
import { kbSuggestionsPanel } from './kb.js';
import { alertsPanel } from './ticket-alerts.js';
import { fieldPanel } from './ticket-field.js';
import { dispatchPanel } from './ticket-dispatch.js';

/** @type {((ctx: any, detail: any, reload: () => void) => Node | null)[]} */
export const TICKET_PANELS = [slaPanel, dispatchPanel, verifyPanel, alertsPanel, fieldPanel, kbSuggestionsPanel];
