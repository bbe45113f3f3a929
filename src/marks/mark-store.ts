// Marked images in IndexedDB (the extension origin's database, shared by the background service worker
// and the options page). One object store, `marks`, keyed by image URL, with an index on updatedAt.
// Typed arrays (embedding, thumbnail bytes) are stored as they are: IndexedDB structured-clones them.
import type { DBSchema, IDBPDatabase } from 'idb';
import { openGivingWay, reopening } from '../util/idb-open';
import { applyMark, isEmpty } from './apply-mark';
import type { MarkAction, MarkRecord, Verdict } from './mark-types';

export const MARKS_DB_NAME = 'megane';
/** Bump with a new step in `upgrade` when the stores or indexes change. */
export const MARKS_DB_VERSION = 1;

interface MeganeDB extends DBSchema {
  marks: {
    key: string;
    value: MarkRecord;
    indexes: { updatedAt: number };
  };
}

export interface MarkStore {
  get(url: string): Promise<MarkRecord | undefined>;
  /** Writes the record as given (replacing any record for its URL), e.g. when importing a dataset. */
  put(record: MarkRecord): Promise<void>;
  /**
   * Writes every record (each replacing the one for its URL) in one transaction: all of them, or on
   * any failure (a full disk: QuotaExceededError) none, and what was stored before stays as it was.
   */
  putAll(records: readonly MarkRecord[]): Promise<void>;
  /**
   * Applies `action` to the URL's marks in one transaction, so two quick clicks cannot both read the
   * old marks. `create` builds the record when there is none yet; it must be synchronous (awaiting
   * anything else inside the transaction would end it), so prepare thumbnail and scores beforehand.
   * When the resulting marks are empty the record is deleted (see below) and null is returned;
   * otherwise the stored record is returned, with updatedAt set to now.
   */
  update(url: string, action: MarkAction, create: () => MarkRecord): Promise<MarkRecord | null>;
  /**
   * Adds what was captured of the image (scores, embedding, faces, thumbnail, size) to its record in one
   * transaction, keeping its marks as they are now. Does nothing if the record is gone. Resolves to
   * whether it wrote.
   */
  addCapture(
    url: string,
    captured: Partial<Pick<MarkRecord, 'model' | 'scores' | 'embedding' | 'faces' | 'thumbnail' | 'imageSize'>>,
  ): Promise<boolean>;
  /** Every record, in URL order. */
  all(): Promise<MarkRecord[]>;
  /** The `limit` most recently updated records, newest first. */
  recent(limit: number): Promise<MarkRecord[]>;
  delete(url: string): Promise<void>;
  clear(): Promise<void>;
  count(): Promise<number>;
  /** The verdict corrections among `urls` (URLs without one are absent), read in one transaction. */
  verdicts(urls: readonly string[]): Promise<Record<string, Verdict>>;
  close(): void;
}

export interface MarkStoreOptions {
  /** The clock for updatedAt; tests pass their own. */
  now?: () => number;
}

/**
 * Opens (creating or upgrading) the marks database.
 *
 * A record whose marks become empty is deleted rather than kept: it exists only because the user
 * marked the image, an unmarked sample is no use to the dataset, and keeping it would keep the
 * thumbnail of an image the user took their mark back from.
 */
export async function openMarkStore(dbName = MARKS_DB_NAME, options: MarkStoreOptions = {}): Promise<MarkStore> {
  const now = options.now ?? Date.now;
  const connection = reopening((lost) =>
    openGivingWay<MeganeDB>(dbName, MARKS_DB_VERSION, {
      upgrade(database, oldVersion) {
        if (oldVersion < 1) {
          const marks = database.createObjectStore('marks', { keyPath: 'url' });
          marks.createIndex('updatedAt', 'updatedAt');
        }
      },
      stores: ['marks'],
      // Another context wanted a newer schema or deleted the database: this connection closed for it
      // and the next call opens the database again.
      lost,
    }),
  );
  // Open now, so a database that cannot be opened fails here, as before.
  await connection.get();
  /** Runs `use` on the open connection; once more on a fresh one if it closed meanwhile. */
  const withDb = async <T>(use: (db: IDBPDatabase<MeganeDB>) => Promise<T>): Promise<T> => {
    try {
      return await use(await connection.get());
    } catch (error) {
      if (!(error instanceof DOMException && error.name === 'InvalidStateError')) throw error;
      return use(await connection.get());
    }
  };

  return {
    get: (url) => withDb((db) => db.get('marks', url)),
    put: (record) => withDb(async (db) => void (await db.put('marks', record))),
    putAll: (records) =>
      withDb(async (db) => {
        const tx = db.transaction('marks', 'readwrite');
        const writes: Promise<unknown>[] = [];
        try {
          for (const record of records) writes.push(tx.store.put(record));
          await Promise.all([...writes, tx.done]);
        } catch (error) {
          // A put that threw left the earlier ones unawaited; they fail with the transaction.
          for (const write of writes) write.catch(() => undefined);
          // A failed request would otherwise leave the others to commit: abort them all.
          try {
            tx.abort();
          } catch {
            // Already aborted (the failure did it) or finished.
          }
          await tx.done.catch(() => undefined);
          // The transaction's error says why (QuotaExceededError); its requests only say they were aborted.
          throw tx.error ?? error;
        }
      }),
    update: (url, action, create) =>
      withDb(async (db) => {
        const tx = db.transaction('marks', 'readwrite');
        const existing = await tx.store.get(url);
        const base = existing ?? create();
        if (base.url !== url) {
          tx.abort();
          await tx.done.catch(() => undefined);
          throw new Error(`[Megane] mark for ${url}: the new record is for ${base.url}`);
        }
        const marks = applyMark(base.marks, action);
        let result: MarkRecord | null = null;
        if (isEmpty(marks)) {
          if (existing) await tx.store.delete(url);
        } else {
          result = { ...base, marks, updatedAt: now() };
          await tx.store.put(result);
        }
        await tx.done;
        return result;
      }),
    addCapture: (url, captured) =>
      withDb(async (db) => {
        const tx = db.transaction('marks', 'readwrite');
        const existing = await tx.store.get(url);
        if (existing) await tx.store.put({ ...existing, ...captured, url, marks: existing.marks });
        await tx.done;
        return existing !== undefined;
      }),
    all: () => withDb((db) => db.getAll('marks')),
    recent: (limit) =>
      withDb(async (db) => {
        const records: MarkRecord[] = [];
        if (limit <= 0) return records;
        let cursor = await db.transaction('marks').store.index('updatedAt').openCursor(null, 'prev');
        while (cursor && records.length < limit) {
          records.push(cursor.value);
          cursor = await cursor.continue();
        }
        return records;
      }),
    delete: (url) => withDb((db) => db.delete('marks', url)),
    clear: () => withDb((db) => db.clear('marks')),
    count: () => withDb((db) => db.count('marks')),
    verdicts: (urls) =>
      withDb(async (db) => {
        const unique = [...new Set(urls)];
        const tx = db.transaction('marks');
        const found = await Promise.all(unique.map((url) => tx.store.get(url)));
        await tx.done;
        const result: Record<string, Verdict> = {};
        for (const record of found) {
          if (record?.marks.verdict) result[record.url] = record.marks.verdict;
        }
        return result;
      }),
    close: () => connection.close(),
  };
}
