// WXT's fake browser has no i18n: give it Chrome's lookup over the real English messages, so unit
// tests see the words a user of the English locale sees (and a missing message shows as '').
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { loadLocale, lookUp } from './locale-messages';

const english = await loadLocale('en');
Object.assign(fakeBrowser.i18n, {
  getMessage: (name: string, substitutions?: string | string[]) => lookUp(english, name, substitutions),
  getUILanguage: () => 'en',
});
