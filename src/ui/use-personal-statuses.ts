// What the personal model has learned, kept current while the page is open (training runs in the
// background and finishes whenever it finishes).
import { useEffect, useState } from 'preact/hooks';
import { loadPersonalStatuses, watchPersonalStatuses, type PersonalStatuses } from '../personal/personal-status';

export function usePersonalStatuses(): PersonalStatuses {
  const [statuses, setStatuses] = useState<PersonalStatuses>({});
  useEffect(() => {
    const controller = new AbortController();
    loadPersonalStatuses().then(
      (loaded) => !controller.signal.aborted && setStatuses(loaded),
      () => {},
    );
    watchPersonalStatuses(setStatuses, controller.signal);
    return () => controller.abort();
  }, []);
  return statuses;
}
