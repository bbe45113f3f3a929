// The NSFW classifiers Megane can run. All three come from the npm package `nsfwjs` (MIT) and are
// copied to public/models/<id>/ by scripts/extract-models.mjs; nothing is loaded from the web.
import { i18n } from '#i18n';

export const NSFW_CLASSES = ['Drawing', 'Hentai', 'Neutral', 'Porn', 'Sexy'] as const;
export type NsfwClass = (typeof NSFW_CLASSES)[number];

/** Where the NSFW models' weights come from; recorded with every mark as the scoring model's version. */
export const MODEL_VERSION = 'nsfwjs 4.3.0';

export const MODEL_IDS = ['mobilenet_v2', 'mobilenet_v2_mid', 'inception_v3'] as const;
export type ModelId = (typeof MODEL_IDS)[number];

export interface ModelSpec {
  id: ModelId;
  /** The model's own name, the same in every language. */
  name: string;
  /** Name, speed and size in English (logs, the bench); people see modelLabel(id) in their language. */
  label: string;
  /** tfjs format of public/models/<id>/model.json */
  format: 'layers' | 'graph';
  /** square input side, in pixels */
  inputSize: number;
}

export const MODELS: Record<ModelId, ModelSpec> = {
  mobilenet_v2: { id: 'mobilenet_v2', name: 'MobileNet v2', label: 'MobileNet v2 (fast, 2.6 MB)', format: 'layers', inputSize: 224 },
  mobilenet_v2_mid: {
    id: 'mobilenet_v2_mid',
    name: 'MobileNet v2 mid',
    label: 'MobileNet v2 mid (balanced, 4.3 MB)',
    format: 'graph',
    inputSize: 224,
  },
  inception_v3: { id: 'inception_v3', name: 'Inception v3', label: 'Inception v3 (largest, 21 MB)', format: 'layers', inputSize: 299 },
};

/** The model as a choice for people: its name, then how fast and how large it is in their language ("MobileNet v2 (fast, 2.6 MB)"). */
export function modelLabel(id: ModelId): string {
  return i18n.t('options.model.choice', [MODELS[id].name, i18n.t(`options.model.notes.${id}`)]);
}

export function isModelId(value: unknown): value is ModelId {
  return typeof value === 'string' && (MODEL_IDS as readonly string[]).includes(value);
}

/** Where a model's files are served from, relative to the extension root. */
export function modelPath(id: ModelId): string {
  return `/models/${id}/model.json`;
}
