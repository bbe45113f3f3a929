// A failed IndexedDB write in words for the options page: a full disk (or the browser's quota for the
// extension) says what the user can do about it. Nothing was written: every write is one transaction.
import { i18n } from '#i18n';
import { errorText } from './checks';

export function storageErrorText(error: unknown): string {
  const name = error instanceof Error || (typeof DOMException !== 'undefined' && error instanceof DOMException) ? error.name : '';
  const text = errorText(error);
  return name === 'QuotaExceededError' ? i18n.t('common.diskFull', [text]) : text;
}
