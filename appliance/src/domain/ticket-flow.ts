// Work-order states and the moves allowed between them.
import type { Severity, TicketStatus } from './types.ts';
import { atLeast } from './severity.ts';

export const TICKET_MOVES: Record<TicketStatus, TicketStatus[]> = {
  new: ['assigned', 'in_progress', 'cancelled'],
  assigned: ['in_progress', 'cancelled'],
  in_progress: ['resolved', 'cancelled'],
  resolved: ['closed', 'in_progress'],
  closed: [],
  cancelled: [],
};

export const OPEN_STATUSES: TicketStatus[] = ['new', 'assigned', 'in_progress', 'resolved'];

export function canMove(from: TicketStatus, to: TicketStatus): boolean {
  return TICKET_MOVES[from].includes(to);
}

/** Whether an alarm at this severity opens (or attaches to) a work order under the rule's policy. */
export function opensTicket(policy: { minSeverity: Severity } | undefined, severity: Severity): boolean {
  return policy !== undefined && atLeast(severity, policy.minSeverity);
}
