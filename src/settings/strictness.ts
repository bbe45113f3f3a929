// The first-run page's strictness presets: each is one NSFW threshold (the slider's value), the one
// setting that decides how much is covered. Balanced is the default. The options page's slider can
// set any value in between; a threshold that is none of these is "custom".
import { DEFAULT_SETTINGS } from './schema';

export type Strictness = 'relaxed' | 'balanced' | 'strict';

export const STRICTNESS: Readonly<Record<Strictness, { label: string; nsfwThreshold: number; note: string }>> = {
  relaxed: { label: 'Relaxed', nsfwThreshold: 0.9, note: 'covers only images the model is nearly sure of' },
  balanced: { label: 'Balanced', nsfwThreshold: DEFAULT_SETTINGS.nsfwThreshold, note: 'the default' },
  strict: { label: 'Strict', nsfwThreshold: 0.4, note: 'also covers suggestive images; some ordinary ones too' },
};

export const STRICTNESS_ORDER: readonly Strictness[] = ['relaxed', 'balanced', 'strict'];

/** The preset a threshold is, or null for any other value. */
export function strictnessOf(nsfwThreshold: number): Strictness | null {
  return STRICTNESS_ORDER.find((s) => Math.abs(STRICTNESS[s].nsfwThreshold - nsfwThreshold) < 1e-9) ?? null;
}
