// Work-order states, the moves allowed between them, and priority from impact x urgency.
import type { Severity, TicketStatus } from './types.ts';
import { atLeast } from './severity.ts';

/**
 * Back to `new` from assigned/accepted/en_route is a decline or an unassignment: dispatch tries the next one.
 * verifying -> assigned is the box reopening a fix the live data did not confirm (back to the same engineer).
 */
export const TICKET_MOVES: Record<TicketStatus, TicketStatus[]> = {
  new: ['assigned', 'in_progress', 'cancelled'],
  assigned: ['accepted', 'in_progress', 'new', 'cancelled'],
  accepted: ['en_route', 'in_progress', 'new', 'cancelled'],
  en_route: ['in_progress', 'new', 'cancelled'],
  in_progress: ['waiting_parts', 'waiting_customer', 'resolved', 'cancelled'],
  waiting_parts: ['in_progress', 'cancelled'],
  waiting_customer: ['in_progress', 'cancelled'],
  resolved: ['verifying', 'closed', 'in_progress'],
  verifying: ['closed', 'assigned', 'in_progress'],
  closed: [],
  cancelled: [],
};

export const OPEN_STATUSES: TicketStatus[] = ['new', 'assigned', 'accepted', 'en_route', 'in_progress', 'waiting_parts', 'waiting_customer', 'resolved', 'verifying'];

/** SLA clocks stop while the work waits on something outside the engineer's hands. */
export const PAUSED_STATUSES: TicketStatus[] = ['waiting_parts', 'waiting_customer'];

/** An assignee has answered (the response clock stops) once the ticket is past `assigned`. */
export const RESPONDED_STATUSES: TicketStatus[] = ['accepted', 'en_route', 'in_progress', 'waiting_parts', 'waiting_customer', 'resolved', 'verifying', 'closed'];

export function canMove(from: TicketStatus, to: TicketStatus): boolean {
  return TICKET_MOVES[from].includes(to);
}

/** Whether an alarm at this severity opens (or attaches to) a work order under the rule's policy. */
export function opensTicket(policy: { minSeverity: Severity } | undefined, severity: Severity): boolean {
  return policy !== undefined && atLeast(severity, policy.minSeverity);
}

const LADDER: Severity[] = ['WARNING', 'MINOR', 'MAJOR', 'CRITICAL'];

/** Impact of the asset's trouble from its criticality (1..5, default 2): 4-5 high, 2-3 medium, 1 low. */
export function impactOf(criticality: number | undefined): 'high' | 'medium' | 'low' {
  const c = criticality ?? 2;
  return c >= 4 ? 'high' : c <= 1 ? 'low' : 'medium';
}

/**
 * Priority = impact x urgency. Urgency is the alarm severity (or what the operator chose); a high-impact asset
 * moves it one step up, a low-impact one one step down, so a medium asset's work order keeps the alarm's level.
 */
export function priorityOf(urgency: Severity, impact: 'high' | 'medium' | 'low'): Severity {
  const i = LADDER.indexOf(urgency) + (impact === 'high' ? 1 : impact === 'low' ? -1 : 0);
  return LADDER[Math.max(0, Math.min(LADDER.length - 1, i))];
}
