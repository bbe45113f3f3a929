// The first-run page's strictness presets: each is one NSFW threshold (the slider's value), the one
// setting that decides how much is covered. Balanced is the default. The options page's slider can
// set any value in between; a threshold that is none of these is "custom".
import { i18n } from '#i18n';
import { DEFAULT_SETTINGS } from './schema';

export type Strictness = 'relaxed' | 'balanced' | 'strict';

export const STRICTNESS: Readonly<Record<Strictness, { nsfwThreshold: number }>> = {
  relaxed: { nsfwThreshold: 0.9 },
  balanced: { nsfwThreshold: DEFAULT_SETTINGS.nsfwThreshold },
  strict: { nsfwThreshold: 0.4 },
};

/** A preset's name and what it does, in the browser's language. */
export function strictnessText(level: Strictness): { label: string; note: string } {
  switch (level) {
    case 'relaxed':
      return { label: i18n.t('strictness.relaxed'), note: i18n.t('strictness.relaxedNote') };
    case 'balanced':
      return { label: i18n.t('strictness.balanced'), note: i18n.t('strictness.balancedNote') };
    case 'strict':
      return { label: i18n.t('strictness.strict'), note: i18n.t('strictness.strictNote') };
  }
}

export const STRICTNESS_ORDER: readonly Strictness[] = ['relaxed', 'balanced', 'strict'];

/** The preset a threshold is, or null for any other value. */
export function strictnessOf(nsfwThreshold: number): Strictness | null {
  return STRICTNESS_ORDER.find((s) => Math.abs(STRICTNESS[s].nsfwThreshold - nsfwThreshold) < 1e-9) ?? null;
}
