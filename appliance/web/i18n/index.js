// Feature dictionaries, one file per area (sla.js, dispatch.js, ...): merged into DICTS by ../i18n.js. Same keys in zh-CN and en.
import { work } from './work.js';
import { verify } from './verify.js';
import { sla } from './sla.js';
import { kb } from './kb.js';
import { notify } from './notify.js';
import { engineer } from './engineer.js';
import { dispatch } from './dispatch.js';

/** @type {{ en: Record<string, string>, 'zh-CN': Record<string, string> }[]} */
export const AREAS = [work, verify, sla, kb, notify, engineer, dispatch];
