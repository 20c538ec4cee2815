// Tickets' one door.
export { createTickets, type Tickets, type TicketEvent, type Evidence, type ScheduleEvidence } from './tickets.ts';
