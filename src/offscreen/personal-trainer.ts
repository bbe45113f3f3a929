// Trains the personal model in the offscreen document, from the marks in IndexedDB, and stores it there
// for the host to score with: small heads on stored embeddings, on the document's own tfjs (WASM or the
// CPU; the models themselves run in model workers, model-placement.ts). Called by the background,
// debounced, when marks change.
import type { PersonalTagSummary, TrainResult } from '../messaging/background-offscreen';
import { type Words, words } from '../messaging/words';
import { openMarkStore } from '../marks/mark-store';
import type { ModelId } from '../model/catalog';
import { PERSONAL_TAGS, customTagsIn, exampleCounts, personalExamples } from '../personal/personal-examples';
import { savePersonalModel } from '../personal/personal-store';
import { trainPersonalModel, type PersonalModel } from '../personal/train-personal';
import { errorText } from '../util/checks';

/** A failure's words name a message (this document cannot read them; the service worker says them). */
export async function trainPersonal(model: ModelId): Promise<TrainResult<Words>> {
  try {
    const store = await openMarkStore();
    const records = await store.all().finally(() => store.close());
    const examples = personalExamples(records, model);
    const counts = exampleCounts(records, model);
    let personal: PersonalModel | null = null;
    if (examples.length > 0) {
      personal = await trainPersonalModel(examples);
      await savePersonalModel(model, personal);
    }
    const stats: Record<string, PersonalTagSummary> = {};
    for (const tag of [...PERSONAL_TAGS, ...customTagsIn(records)]) {
      const measured = personal?.stats[tag];
      const { positives, negatives } = counts[tag] ?? { positives: 0, negatives: 0 };
      stats[tag] = {
        positives,
        negatives,
        heldOutAccuracy: measured?.heldOutAccuracy ?? null,
        trusted: measured?.trusted ?? false,
        trained: personal?.tags[tag] !== undefined,
        ...(measured?.reason ? { reason: measured.reason } : {}),
      };
    }
    const hasHeads = personal !== null && Object.keys(personal.tags).length > 0;
    return { ok: true, version: hasHeads ? (personal as PersonalModel).trainedAt : null, examples: examples.length, stats };
  } catch (error) {
    return { ok: false, error: words('background.trainingFailed', errorText(error)) };
  }
}
