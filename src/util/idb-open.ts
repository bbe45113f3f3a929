// Opening Megane's IndexedDB databases (marks, personal models, trained models) so that no connection
// ever blocks another context: the service worker, the offscreen document and the options page each
// hold their own, and a version change (a newer schema, or the database being deleted) waits until
// every other connection has closed. Each connection closes as soon as it is asked to, and whoever
// holds it opens it again on the next use (reopening below).
import { openDB, type DBSchema, type IDBPDatabase, type OpenDBCallbacks, type StoreNames } from 'idb';

export interface OpenOptions<S extends DBSchema> {
  upgrade: NonNullable<OpenDBCallbacks<S>['upgrade']>;
  /** The stores this code reads: a newer database without them is refused instead of misread. */
  stores: StoreNames<S>[];
  /** Called once when this connection is gone: closed for another context's version change, or by the browser. */
  lost?: () => void;
}

/**
 * Opens `name` at `version`, upgrading it. A database a newer Megane already upgraded (the user went
 * back a release) is opened at its own version as long as it still has `stores`.
 */
export async function openGivingWay<S extends DBSchema>(name: string, version: number, options: OpenOptions<S>): Promise<IDBPDatabase<S>> {
  let gone = false;
  const lost = () => {
    if (gone) return;
    gone = true;
    options.lost?.();
  };
  const callbacks: OpenDBCallbacks<S> = {
    upgrade: options.upgrade,
    blocked: () => console.warn(`[Megane] ${name}: waiting for another Megane page to close the database`),
    // Another context wants a newer version or to delete the database: let it.
    blocking: (_current, _wanted, event) => {
      (event.target as IDBDatabase).close();
      lost();
    },
    terminated: lost,
  };
  try {
    return await openDB<S>(name, version, callbacks);
  } catch (error) {
    if (!(error instanceof Error || error instanceof DOMException) || error.name !== 'VersionError') throw error;
    const db = await openDB<S>(name, undefined, callbacks);
    const missing = options.stores.filter((store) => !db.objectStoreNames.contains(store));
    if (missing.length > 0) {
      db.close();
      throw new Error(`${name} was changed by a newer version of Megane (version ${db.version}, without ${missing.join(', ')})`);
    }
    return db;
  }
}

/** One connection, opened on first use and again after it was lost; close() ends it for good. */
export function reopening<T extends { close(): void }>(open: (lost: () => void) => Promise<T>): { get(): Promise<T>; close(): void } {
  let current: Promise<T> | null = null;
  let closed = false;
  return {
    get() {
      if (closed) return Promise.reject(new Error('The database is closed'));
      if (current === null) {
        const opening: Promise<T> = open(() => {
          if (current === opening) current = null;
        }).catch((error: unknown) => {
          if (current === opening) current = null;
          throw error;
        });
        current = opening;
      }
      return current;
    },
    close() {
      closed = true;
      void current?.then(
        (db) => db.close(),
        () => undefined,
      );
      current = null;
    },
  };
}
