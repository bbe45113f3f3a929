// An extension page in the language of the messages it shows: its `lang` (screen readers pick their
// voice from it, CSS picks Japanese line breaking) and, when given, its title. The HTML says
// lang="en" for the moment before this runs. (Chrome's @@ui_locale said en_US in a browser started
// with --lang=ja while the messages it gave were Japanese, so the messages name their own language.)
import { i18n } from '#i18n';

export function setPageLanguage(doc: Document, title?: string): void {
  const lang = i18n.t('common.lang');
  if (lang) doc.documentElement.lang = lang;
  if (title !== undefined) doc.title = title;
}
