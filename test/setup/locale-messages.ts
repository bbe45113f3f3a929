// The messages of one of Megane's locales as the browser reads them (the _locales/<lang>/messages.json
// that @wxt-dev/i18n builds from src/locales/<lang>.yml), and Chrome's lookup with `$1`…`$9`
// substitutions: the unit tests' fake browser answers i18n.getMessage with the real English text.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateChromeMessages, parseMessagesFile } from '@wxt-dev/i18n/build';

export const LOCALES_DIR = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../src/locales');

/** Message name (dots as underscores) → text, as in the built messages.json. */
export async function loadLocale(locale: string): Promise<Map<string, string>> {
  const chrome = generateChromeMessages(await parseMessagesFile(resolve(LOCALES_DIR, `${locale}.yml`)));
  return new Map(Object.entries(chrome).map(([name, { message }]) => [name, message]));
}

/** chrome.i18n.getMessage: '' for an unknown name; `$n` takes the n-th substitution, `$$` is a dollar. */
export function lookUp(messages: Map<string, string>, name: string, substitutions?: string | string[]): string {
  const text = messages.get(name);
  if (text === undefined) return '';
  const subs = substitutions === undefined ? [] : Array.isArray(substitutions) ? substitutions : [substitutions];
  return text.replace(/\$(\$|[1-9])/g, (_, which: string) => (which === '$' ? '$' : (subs[Number(which) - 1] ?? '')));
}
