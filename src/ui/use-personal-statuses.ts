// What the personal model has learned, kept current while the page is open (training runs in the
// background and finishes whenever it finishes). Empty until the first read.
import { useEffect, useState } from 'preact/hooks';
import { loadPersonalStatuses, watchPersonalStatuses, type PersonalStatuses } from '../personal/personal-status';

export function usePersonalStatuses(): PersonalStatuses {
  const [statuses, setStatuses] = useState<PersonalStatuses>({});
  useEffect(() => {
    const controller = new AbortController();
    let watched = false;
    watchPersonalStatuses((s) => {
      watched = true;
      setStatuses(s);
    }, controller.signal);
    loadPersonalStatuses().then(
      // A change seen by the watcher is newer than this read.
      (s) => !watched && !controller.signal.aborted && setStatuses(s),
      (e: unknown) => console.warn('[Megane] could not read the personal tags status:', e),
    );
    return () => controller.abort();
  }, []);
  return statuses;
}
