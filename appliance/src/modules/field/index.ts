// The engineer app's module: its one door.
export { createField, imageType, verifyState, type Field, type Photo, type Signoff, type Part } from './field.ts';
export { idempotency } from './idempotency.ts';
export { DEFAULT_TEMPLATES } from './default-templates.ts';
