// The core's one door: bus, clock, errors, ids, logger.
export * from './errors.ts';
export * from './clock.ts';
export * from './ids.ts';
export * from './bus.ts';
export * from './logger.ts';
export * from './password.ts';
