// The catalogue of coded errors: every failure a person may see carries one of these codes.

export const ERRORS = {
  OUTPOST_CONFIG_INVALID: 500,
  OUTPOST_AUTH_INVALID: 401,
  OUTPOST_AUTH_REQUIRED: 401,
  OUTPOST_FORBIDDEN: 403,
  OUTPOST_NOT_FOUND: 404,
  OUTPOST_BAD_REQUEST: 400,
  OUTPOST_CONFLICT: 409,
  OUTPOST_TICKET_TRANSITION: 409,
  OUTPOST_ALARM_TRANSITION: 409,
  OUTPOST_MQTT_TOPIC_DENIED: 403,
  OUTPOST_MQTT_AUTH: 401,
  OUTPOST_PAYLOAD_TOO_LARGE: 413,
  OUTPOST_PAYLOAD_JSON: 400,
  OUTPOST_PAYLOAD_SHAPE: 400,
  OUTPOST_POINT_UNKNOWN: 400,
  OUTPOST_VALUE_NOT_NUMBER: 400,
  OUTPOST_VALUE_OUT_OF_RANGE: 400,
  OUTPOST_TS_INVALID: 400,
  OUTPOST_TS_FUTURE: 400,
  OUTPOST_TS_TOO_OLD: 400,
  OUTPOST_STORAGE: 500,
  // A phone position that is in no marked zone of the engineer's site.
  OUTPOST_LOCATION_UNKNOWN: 422,
  // SLA policies and site calendars (modules/sla): a policy or calendar the clocks cannot run on.
  OUTPOST_SLA_INVALID: 400,
  // Modbus field link (modules/modbus): 504/502 so an API write that fails says it was the device, not the box.
  OUTPOST_MODBUS_TIMEOUT: 504,
  OUTPOST_MODBUS_EXCEPTION: 502,
  OUTPOST_MODBUS_CONNECTION: 502,
  OUTPOST_MODBUS_DECODE: 502,
  OUTPOST_MODBUS_VALUE: 400,
  OUTPOST_MODBUS_NOT_WRITABLE: 403,
  // Knowledge-base import (modules/kb): what was sent is not a document the box can read.
  OUTPOST_KB_IMPORT_EMPTY: 400,
  OUTPOST_KB_IMPORT_TOO_LARGE: 413,
  OUTPOST_KB_IMPORT_BINARY: 415,
  // Alerts to people (modules/notify): a channel that will be tried again, and one that gave up.
  OUTPOST_NOTIFY_RETRY: 503,
  OUTPOST_NOTIFY_FAILED: 502,
  // Engineer app (modules/field).
  OUTPOST_CHECKIN_INVALID: 403,
  OUTPOST_CHECKIN_WRONG_ASSET: 409,
  OUTPOST_CHECKLIST_INCOMPLETE: 409,
  OUTPOST_PHOTO_TYPE: 415,
} as const;

export type ErrorCode = keyof typeof ERRORS;

export class OutpostError extends Error {
  readonly code: ErrorCode;
  readonly statusCode: number;
  constructor(code: ErrorCode, message: string) {
    super(`${code}: ${message}`);
    this.name = 'OutpostError';
    this.code = code;
    this.statusCode = ERRORS[code];
  }
}
