// What the HTTP layer needs from the rest of the box, by module door only.
import type { Bus, Clock, Logger } from '../../core/index.ts';
import type { Auth } from '../auth/index.ts';
import type { Registry } from '../devices/index.ts';
import type { Ingest } from '../ingest/index.ts';
import type { Alarms } from '../alarms/index.ts';
import type { Tickets } from '../tickets/index.ts';
import type { Roster } from '../roster/index.ts';
import type { Verify } from '../verify/index.ts';
import type { Metrics } from '../health/index.ts';
import type { Series } from '../readings/index.ts';
import type { UsageModule } from '../usage/index.ts';
import type { Modbus } from '../modbus/index.ts';
import type { Sla } from '../sla/index.ts';
import type { Dispatch } from '../dispatch/index.ts';
import type { Kb } from '../kb/index.ts';
import type { Notify } from '../notify/index.ts';
import type { Field } from '../field/index.ts';

export interface ApiDeps {
  bus: Bus;
  clock: Clock;
  logger: Logger;
  auth: Auth;
  registry: Registry;
  ingest: Ingest;
  alarms: Alarms;
  tickets: Tickets;
  roster: Roster;
  /** Fix verification after sign-off; absent in a box built without it. */
  verify?: Verify;
  metrics: Metrics;
  series: (pointId: number, from: number, to: number) => Series;
  health: () => Record<string, unknown>;
  /** Usage counters and maintenance plans; absent in a box built without them. */
  usage?: UsageModule;
  /** Field links; absent in a box built without the Modbus module. */
  modbus?: Modbus;
  /** SLA clocks and escalation; absent in a box built without them (tickets then carry no `sla`). */
  sla?: Sla;
  /** Smart dispatch, the site map and spare parts; absent in a box built without them. */
  dispatch?: Dispatch;
  /** Knowledge base: search, articles, import, a work order's suggestions; absent in a box built without it. */
  kb?: Kb;
  /** Alerts to people; absent in a box built without them. */
  notify?: Notify;
  /** The engineer app's jobs, check-in, checklist, photos and sign-off; absent in a box built without it. */
  field?: Field;
}
