// Rules' one door.
export { createRules, type Rules } from './rules.ts';
