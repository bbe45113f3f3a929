// What the personal model has learned, kept current while the page is open (training runs in the
// background and finishes whenever it finishes). Empty until the first read, and when it cannot be read.
import { PERSONAL_STATUS_KEY, parseStatuses, type PersonalStatuses } from '../personal/personal-status';
import { useStoredKey } from './use-stored-key';

export function usePersonalStatuses(): PersonalStatuses {
  return useStoredKey(PERSONAL_STATUS_KEY, parseStatuses).value ?? {};
}
