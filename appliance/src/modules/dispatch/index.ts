// Dispatch's one door: the site map, spare parts and the dispatcher that uses both.
import type { Bus, Clock, Logger } from '../../core/index.ts';
import type { Ticket } from '../../domain/index.ts';
import type { Db } from '../storage/index.ts';
import type { Registry } from '../devices/index.ts';
import type { Tickets } from '../tickets/index.ts';
import type { Roster } from '../roster/index.ts';
import type { Alarms } from '../alarms/index.ts';
import { createSiteMap } from './site-map.ts';
import { createParts } from './parts.ts';
import { createDispatcher, type DispatchConfig } from './dispatcher.ts';

export type { SiteMap } from './site-map.ts';
export type { Parts, SparePart, PartStore, StockLine, Reservation, PartFits } from './parts.ts';
export { storeOriginator, lowStockType } from './parts.ts';
export type { DispatchConfig, CandidateList } from './dispatcher.ts';

export function createDispatch(
  deps: { db: Db; bus: Bus; clock: Clock; logger: Logger; registry: Registry; tickets: Tickets; roster: Roster; alarms: Alarms; deadline?: (t: Ticket) => number | null },
  config: DispatchConfig,
) {
  const siteMap = createSiteMap(deps.db);
  const parts = createParts(deps);
  const dispatcher = createDispatcher({ ...deps, siteMap, parts }, config);
  return { ...dispatcher, siteMap, parts };
}

export type Dispatch = ReturnType<typeof createDispatch>;
