// Words for people from where messages cannot be read. An offscreen document gets no extension API
// but runtime (no i18n.getMessage), and neither do its workers: the model host names a message
// (src/locales/<lang>.yml, under background) with its substitutions, and the service worker, which
// reads messages, says it in the user's language (background/say.ts). Plain data, so it crosses
// runtime messages and postMessage as it is.
import type { GeneratedI18nStructure } from '#i18n';
import { errorText } from '../util/checks';

/** The messages the model host may name. */
export type HostMessage = {
  [K in keyof GeneratedI18nStructure]: K extends `background.${string}`
    ? GeneratedI18nStructure[K]['plural'] extends false
      ? K
      : never
    : never;
}[keyof GeneratedI18nStructure];

/**
 * A message and its substitutions, each words again; or a text shown as it is (an exception's own
 * text, a renderer's name, a number).
 */
export type Words = string | { readonly message: HostMessage; readonly with?: readonly Words[] };

/** `n` substitutions. */
type Slots<N, Filled extends Words[] = []> = Filled['length'] extends N ? Filled : Slots<N, [...Filled, Words]>;

/** Words naming `message`, with as many substitutions as the message has. */
export function words<K extends HostMessage>(message: K, ...substitutions: Slots<GeneratedI18nStructure[K]['substitutions']>): Words {
  const slots: readonly Words[] = substitutions;
  return slots.length === 0 ? { message } : { message, with: slots };
}

/** Words for a console line or an Error's message, where no message can be read: the names, not the language. */
export function wordsText(said: Words): string {
  if (typeof said === 'string') return said;
  return said.with?.length ? `${said.message}(${said.with.map(wordsText).join(', ')})` : said.message;
}

/** An Error whose reason people may be shown (a model's status): its words travel with it. */
export class WordsError extends Error {
  constructor(readonly words: Words) {
    super(wordsText(words));
  }
}

/** What to show people about an error: its words, or its own text. */
export function wordsOf(error: unknown): Words {
  return error instanceof WordsError ? error.words : errorText(error);
}
