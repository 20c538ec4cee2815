// Verify's one door.
export { createVerify, type Verify } from './verify.ts';
