// Wall clock with sub-ms resolution, comparable across the bench's processes on this machine.

/** timeOrigin is read from CLOCK_REALTIME at process start, so two processes agree to a few microseconds (latency.ts checks it). */
export const wallMs = (): number => performance.timeOrigin + performance.now();
