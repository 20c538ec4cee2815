// Roster's one door.
export { createRoster, type Roster } from './roster.ts';
