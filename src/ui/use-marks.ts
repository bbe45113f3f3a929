// The options page's marked images: the mark store opened once for the page and closed when it goes,
// every record newest first, and the changes the page can make. Every change is written through the
// store and then told to the background ('marks-changed'), which retrains the personal model.
import { i18n } from '#i18n';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { applyMark, isEmpty } from '../marks/apply-mark';
import { openMarkStore, type MarkStore } from '../marks/mark-store';
import type { MarkAction, MarkRecord } from '../marks/mark-types';
import { sendPopupToBackground } from '../messaging/popup-background';
import { clearPersonalStatuses } from '../personal/personal-status';
import { newestFirst } from './mark-view';
import { clearPersonalModels } from '../personal/personal-store';
import { errorText } from '../util/checks';
import { storageErrorText } from '../util/storage-error';

export interface MarksControls {
  /** Every record, newest first; null until the first read finishes (or when the store cannot open). */
  records: MarkRecord[] | null;
  /** Why the store could not be opened, read, or written by a card's change; null when all is well. */
  error: string | null;
  /** Reads every record again. */
  reload: () => Promise<void>;
  /**
   * Applies a mark action to one image: shown at once (applyMark), written in one store transaction.
   * The list keeps its order until the next reload, so a card does not jump while it is being edited.
   * A record left with no marks is removed (the store deletes it).
   */
  change: (url: string, action: MarkAction) => Promise<void>;
  /** Deletes one image's record. */
  remove: (url: string) => Promise<void>;
  /** Every record as stored right now (for export). Rejects when the store cannot be read. */
  readAll: () => Promise<MarkRecord[]>;
  /** Writes every record, each replacing the one with its URL, then reloads. Rejects on a failed write, having written none. */
  putAll: (records: readonly MarkRecord[]) => Promise<void>;
  /** Deletes every record, the personal models and their status, then reloads. Settings are kept. */
  deleteAll: () => Promise<void>;
}

/** Tells the background the marks changed. Fire and forget: a background that is not up yet retrains when it starts. */
export function notifyMarksChanged(): void {
  sendPopupToBackground({ channel: 'popup->background', type: 'marks-changed' }).catch((e: unknown) =>
    console.warn('[Megane] could not tell the background about changed marks:', e),
  );
}

export function useMarks(): MarksControls {
  const [records, setRecords] = useState<MarkRecord[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const store = useRef<Promise<MarkStore> | null>(null);
  const current = useRef<MarkRecord[] | null>(null);
  current.current = records;
  const mounted = useRef(true);
  const reads = useRef(0);

  const getStore = useCallback((): Promise<MarkStore> => {
    if (store.current === null) return Promise.reject(new Error(i18n.t('options.marks.closed')));
    return store.current;
  }, []);

  const reload = useCallback(async () => {
    // Only the latest read is shown, however the reads finish.
    const read = ++reads.current;
    try {
      const all = await (await getStore()).all();
      if (!mounted.current || read !== reads.current) return;
      setRecords(newestFirst(all));
      setError(null);
    } catch (e) {
      if (mounted.current && read === reads.current) setError(i18n.t('options.marks.readFailed', [errorText(e)]));
    }
  }, [getStore]);

  useEffect(() => {
    mounted.current = true;
    const opening = openMarkStore();
    // Opening can fail (no IndexedDB, a private window); reload reports it.
    opening.catch(() => undefined);
    store.current = opening;
    void reload();
    // Marks made on pages while this page sat in another tab show when the user comes back to it
    // (not while they are on it, so a card never jumps away mid-edit).
    const controller = new AbortController();
    document.addEventListener('visibilitychange', () => document.visibilityState === 'visible' && void reload(), {
      signal: controller.signal,
    });
    return () => {
      controller.abort();
      mounted.current = false;
      store.current = null;
      void opening.then(
        (s) => s.close(),
        () => undefined,
      );
    };
  }, [reload]);

  const change = useCallback(
    async (url: string, action: MarkAction) => {
      const before = current.current?.find((r) => r.url === url);
      if (!before) return;
      setError(null);
      // From the list as it is at this moment, so two quick clicks both count.
      setRecords((rs) =>
        rs === null
          ? rs
          : rs.flatMap((r) => {
              if (r.url !== url) return [r];
              const marks = applyMark(r.marks, action);
              return isEmpty(marks) ? [] : [{ ...r, marks }];
            }),
      );
      try {
        // `create` is only used if the record went away meanwhile (deleted in another page).
        await (await getStore()).update(url, action, () => before);
        notifyMarksChanged();
      } catch (e) {
        if (!mounted.current) return;
        setError(i18n.t('options.marks.saveFailed', [storageErrorText(e)]));
        await reload();
      }
    },
    [getStore, reload],
  );

  const remove = useCallback(
    async (url: string) => {
      setError(null);
      setRecords((rs) => (rs === null ? rs : rs.filter((r) => r.url !== url)));
      try {
        await (await getStore()).delete(url);
        notifyMarksChanged();
      } catch (e) {
        if (!mounted.current) return;
        setError(i18n.t('options.marks.deleteFailed', [errorText(e)]));
        await reload();
      }
    },
    [getStore, reload],
  );

  const readAll = useCallback(async () => (await getStore()).all(), [getStore]);

  const putAll = useCallback(
    async (incoming: readonly MarkRecord[]) => {
      const s = await getStore();
      // One transaction: on a failure (a full disk) nothing is written and the list stays as it is.
      await s.putAll(incoming);
      if (incoming.length > 0) notifyMarksChanged();
      await reload();
    },
    [getStore, reload],
  );

  const deleteAll = useCallback(async () => {
    const s = await getStore();
    try {
      await s.clear();
      await clearPersonalModels();
      await clearPersonalStatuses();
    } finally {
      notifyMarksChanged();
      await reload();
    }
  }, [getStore, reload]);

  return { records, error, reload, change, remove, readAll, putAll, deleteAll };
}
