// The engineer app's side of bench/notify.ts in its own process (as a phone is): holds the alert stream open and
// reports over IPC the wall time each `alert` event arrived, so the box's busy event loop cannot delay the reading.
import { wallMs } from './wall-clock.ts';

process.once('message', async (m: { url: string; cookie: string }) => {
  const ac = new AbortController();
  process.on('message', () => { ac.abort(); process.disconnect(); });
  const res = await fetch(m.url, { headers: { cookie: m.cookie }, signal: ac.signal });
  process.send!({ type: 'open', status: res.status });
  const reader = res.body!.getReader();
  const dec = new TextDecoder();
  let buf = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      const at = wallMs();
      buf += dec.decode(value, { stream: true });
      let i: number;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, i); buf = buf.slice(i + 2);
        if (block.startsWith('event: alert')) process.send!({ type: 'alert', at, ticketId: JSON.parse(/^data: (.*)$/m.exec(block)![1]).ticketId });
      }
    }
  } catch {
    // aborted at the end of the run
  }
});
