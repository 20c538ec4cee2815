// Tickets' one door.
export { createTickets, type Tickets, type TicketEvent, type Evidence } from './tickets.ts';
