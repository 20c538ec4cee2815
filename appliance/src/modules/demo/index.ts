// Demo's one door.
export { createDemo, type Demo } from './demo.ts';
