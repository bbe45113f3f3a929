// Asks the background for the model's status and the tab's counts, once a second while the popup is
// open. One request at a time: a slow service worker (waking up, loading a model) must not get a
// pile of requests queued behind the first.
import { useEffect, useState } from 'preact/hooks';
import type { ModelStatus } from '../messaging/background-offscreen';
import type { FrameStats } from '../messaging/content-background';
import { isRecord } from '../util/checks';
import { sendPopupToBackground, type PopupStatus } from '../messaging/popup-background';
import { isModelId } from '../model/catalog';
import { errorText } from '../util/checks';

export const STATUS_POLL_MS = 1000;

export interface StatusView {
  /** The last good answer; kept while a later request fails, so the numbers do not flicker. */
  status: PopupStatus | null;
  /** Why the last request failed, or null. */
  error: string | null;
}

/** `tabId` undefined = the tab is not known yet (nothing is asked); null = there is no tab. */
export function usePopupStatus(tabId: number | null | undefined): StatusView {
  const [view, setView] = useState<StatusView>({ status: null, error: null });

  useEffect(() => {
    if (tabId === undefined) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;

    const poll = async () => {
      try {
        const reply = await sendPopupToBackground({ channel: 'popup->background', type: 'get-status', tabId });
        if (stopped) return;
        if (isPopupStatus(reply)) setView({ status: reply, error: null });
        else setView((v) => ({ ...v, error: 'No answer from the background yet' }));
      } catch (e) {
        if (stopped) return;
        setView((v) => ({ ...v, error: errorText(e) }));
      }
      if (!stopped) timer = setTimeout(() => void poll(), STATUS_POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [tabId]);

  return view;
}

/** The popup trusts the background, but a half-started or older worker can answer with less. */
export function isPopupStatus(value: unknown): value is PopupStatus {
  return isRecord(value) && isModelStatus(value.model) && (value.tab === null || isFrameStats(value.tab));
}

function isModelStatus(value: unknown): value is ModelStatus {
  return (
    isRecord(value) &&
    isModelId(value.model) &&
    ['idle', 'loading', 'ready', 'failed'].includes(value.state as string) &&
    (value.backend === null || typeof value.backend === 'string') &&
    typeof value.reason === 'string' &&
    (value.error === undefined || typeof value.error === 'string') &&
    (value.recovery === undefined || typeof value.recovery === 'string')
  );
}

function isFrameStats(value: unknown): value is FrameStats {
  return isRecord(value) && (['checked', 'covered', 'failed', 'pending'] as const).every((k) => typeof value[k] === 'number');
}
