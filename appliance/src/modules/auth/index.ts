// Auth's one door.
export { createAuth, type Auth, type User, type Role } from './auth.ts';
