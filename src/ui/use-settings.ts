// The popup's and options page's view of the settings: loaded once, kept current by watching
// storage, changed optimistically. Pages only write settings; content scripts and the background
// watch storage themselves, so there is nothing to notify.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { Settings } from '../settings/schema';
import { LockedChange, updateUnlessLocked } from '../lock/locked-write';
import { loadSettings, watchSettings, type SettingsPatch } from '../settings/store';
import { createDebouncedSave, type DebouncedSave } from './debounced-save';
import { errorText } from '../util/checks';

/** Quiet period before a slider's value is written. */
export const SAVE_DELAY_MS = 150;

export interface SettingsControls {
  /** null until the first read finishes. */
  settings: Settings | null;
  /** Shows `patch` at once and writes it now (switches, selects). */
  save: (patch: SettingsPatch) => void;
  /**
   * Shows `patch` at once and writes it after a short quiet period, merged with other quick changes
   * (a slider being dragged, a number being typed).
   */
  saveSoon: (patch: SettingsPatch) => void;
  /**
   * Shows the change at once and writes it now, computed again from the stored settings at write
   * time, so a change made meanwhile in another page is not overwritten (used for site rules).
   */
  update: (change: (current: Settings) => SettingsPatch) => void;
  /** Writes anything queued by `saveSoon` now (e.g. when a slider is released). */
  flush: () => void;
  /** The last failed write's message, cleared by the next successful change. */
  error: string | null;
  /** A change the lock held back (it weakens the filter): the lock's prompt shows it until answered. */
  held: LockedChange | null;
  /** Shows the lock's prompt for `change` (e.g. a settings file to import, or removing the lock). */
  holdBack: (change: LockedChange | null) => void;
}

export function useSettings(): SettingsControls {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [held, setHeld] = useState<LockedChange | null>(null);
  const writer = useRef<DebouncedSave | null>(null);

  // A failed write leaves the optimistic value on screen; put back what is really stored. A write the
  // lock held back is no error: it waits in the lock's prompt.
  const fail = useCallback((e: unknown) => {
    if (e instanceof LockedChange) setHeld(e);
    else setError(errorText(e));
    void loadSettings().then((s) => setSettings({ ...s, ...(writer.current?.unsaved() ?? {}) }));
  }, []);

  if (writer.current === null) {
    writer.current = createDebouncedSave((patch) => updateUnlessLocked(() => patch), SAVE_DELAY_MS, fail);
  }

  useEffect(() => {
    const controller = new AbortController();
    const w = writer.current;
    let watched = false;
    watchSettings((s) => {
      watched = true;
      setSettings({ ...s, ...(w?.unsaved() ?? {}) });
    }, controller.signal);
    void loadSettings().then((s) => {
      // A change seen by the watcher is newer than this read.
      if (!watched && !controller.signal.aborted) setSettings({ ...s, ...(w?.unsaved() ?? {}) });
    });
    // The popup can close a moment after the last slider move: write it before the page goes.
    const flushNow = () => void w?.flush();
    window.addEventListener('pagehide', flushNow, { signal: controller.signal });
    document.addEventListener('visibilitychange', () => document.visibilityState === 'hidden' && flushNow(), { signal: controller.signal });
    return () => {
      controller.abort();
      flushNow();
    };
  }, []);

  const saveSoon = useCallback((patch: SettingsPatch) => {
    setError(null);
    setSettings((s) => (s === null ? s : { ...s, ...patch }));
    writer.current?.queue(patch);
  }, []);

  const save = useCallback(
    (patch: SettingsPatch) => {
      saveSoon(patch);
      void writer.current?.flush();
    },
    [saveSoon],
  );

  const update = useCallback(
    (change: (current: Settings) => SettingsPatch) => {
      setError(null);
      setSettings((s) => (s === null ? s : { ...s, ...change(s) }));
      // Queued slider values go first, so writes land in the order the user made them.
      void (writer.current?.flush() ?? Promise.resolve()).then(() => updateUnlessLocked(change)).catch(fail);
    },
    [fail],
  );

  const flush = useCallback(() => void writer.current?.flush(), []);

  return { settings, save, saveSoon, update, flush, error, held, holdBack: setHeld };
}
