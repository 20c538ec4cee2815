// The app's memory on the phone (IndexedDB): the last answer of each page it read, and the outbox of actions
// waiting for the network, replayed in order with their Idempotency-Key so the box applies each once.

const DB_NAME = 'outpost-engineer';
let dbp = null;

function open() {
  if (dbp) return dbp;
  dbp = new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => {
      const db = req.result;
      db.createObjectStore('cache');
      db.createObjectStore('outbox', { keyPath: 'seq', autoIncrement: true });
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  return dbp;
}

async function tx(store, mode, fn) {
  const db = await open();
  return new Promise((resolve, reject) => {
    const t = db.transaction(store, mode);
    const out = fn(t.objectStore(store));
    t.oncomplete = () => resolve(out?.result);
    t.onerror = () => reject(t.error);
    t.onabort = () => reject(t.error);
  });
}

export const cache = {
  get: (key) => tx('cache', 'readonly', (s) => s.get(key)),
  put: (key, value) => tx('cache', 'readwrite', (s) => s.put(value, key)),
  clear: () => tx('cache', 'readwrite', (s) => s.clear()),
};

/** A random key that also works on plain http, where crypto.randomUUID is not available. */
export function newKey() {
  const b = crypto.getRandomValues(new Uint8Array(16));
  return `app-${Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')}`;
}

export const outbox = {
  /** item: { key, path, body, blob?, contentType?, jobId, kind, label, ts } */
  add: (item) => tx('outbox', 'readwrite', (s) => s.add(item)),
  all: () => tx('outbox', 'readonly', (s) => s.getAll()),
  remove: (seq) => tx('outbox', 'readwrite', (s) => s.delete(seq)),
  clear: () => tx('outbox', 'readwrite', (s) => s.clear()),
};
