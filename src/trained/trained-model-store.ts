// Trained models the user imported (model3 from `npm run train`), in the extension origin's IndexedDB:
// the options page writes them, the offscreen document loads the active one. Each is kept whole
// (descriptor, topology, weights), so it works offline and survives the files being deleted.
import type { DBSchema } from 'idb';
import { openGivingWay } from '../util/idb-open';
import { parseMeganeModel, type MeganeModelDescriptor } from '../train/megane-model';
import type { TrainedArtifacts } from './read-model-files';

export const TRAINED_DB_NAME = 'megane-trained';

export interface StoredTrainedModel {
  /** Name and training time: importing the same training twice replaces it. */
  id: string;
  descriptor: MeganeModelDescriptor;
  artifacts: TrainedArtifacts;
  importedAt: number;
  bytes: number;
}

/** What the options page and the popup list: everything but the weights. */
export type TrainedModelSummary = Omit<StoredTrainedModel, 'artifacts'>;

// `summaries` holds each model without its weights (a 256 px model3 is 159 MB), so listing the models
// never reads weights. Version 1 had only `models`; upgrading fills `summaries` from it.
interface TrainedDB extends DBSchema {
  models: { key: string; value: StoredTrainedModel };
  summaries: { key: string; value: TrainedModelSummary };
}

const summaryOf = ({ artifacts: _weights, ...summary }: StoredTrainedModel): TrainedModelSummary => summary;

// A connection per call, closed after it; one open while another context upgrades or deletes the
// database closes at once instead of blocking it (openGivingWay).
const open = (name: string) =>
  openGivingWay<TrainedDB>(name, 2, {
    async upgrade(db, oldVersion, _newVersion, tx) {
      if (oldVersion < 1) db.createObjectStore('models', { keyPath: 'id' });
      if (oldVersion < 2) {
        const summaries = db.createObjectStore('summaries', { keyPath: 'id' });
        for (const record of await tx.objectStore('models').getAll()) await summaries.put(summaryOf(record));
      }
    },
    stores: ['models', 'summaries'],
  });

export function trainedModelId(descriptor: MeganeModelDescriptor): string {
  return `${descriptor.name}@${descriptor.trainedAt}`;
}

export async function saveTrainedModel(
  descriptor: MeganeModelDescriptor,
  artifacts: TrainedArtifacts,
  now = Date.now(),
  dbName = TRAINED_DB_NAME,
): Promise<TrainedModelSummary> {
  const record: StoredTrainedModel = {
    id: trainedModelId(descriptor),
    descriptor,
    artifacts,
    importedAt: now,
    bytes: artifacts.weightData.byteLength,
  };
  const db = await open(dbName);
  try {
    const tx = db.transaction(['models', 'summaries'], 'readwrite');
    await Promise.all([tx.objectStore('models').put(record), tx.objectStore('summaries').put(summaryOf(record)), tx.done]).catch(
      async (error: unknown) => {
        await tx.done.catch(() => undefined);
        // The transaction's error says why (QuotaExceededError: a model is large); its requests only say they were aborted.
        throw tx.error ?? error;
      },
    );
  } finally {
    db.close();
  }
  return summaryOf(record);
}

export async function listTrainedModels(dbName = TRAINED_DB_NAME): Promise<TrainedModelSummary[]> {
  const db = await open(dbName);
  try {
    // A model imported before user tags (megane-model.json version 1) has no customTags: it has none.
    return (await db.getAll('summaries'))
      .map((s) => ({ ...s, descriptor: { ...s.descriptor, customTags: s.descriptor.customTags ?? [] } }))
      .sort((a, b) => b.importedAt - a.importedAt);
  } finally {
    db.close();
  }
}

/** The stored model, its descriptor checked again (a damaged record reads as missing, with the reason). */
export async function loadTrainedModel(id: string, dbName = TRAINED_DB_NAME): Promise<StoredTrainedModel> {
  const db = await open(dbName);
  try {
    const record = await db.get('models', id);
    if (!record) throw new Error(`trained model ${id} is not installed (it was removed?)`);
    return { ...record, descriptor: parseMeganeModel(record.descriptor) };
  } finally {
    db.close();
  }
}

export async function deleteTrainedModel(id: string, dbName = TRAINED_DB_NAME): Promise<void> {
  const db = await open(dbName);
  try {
    const tx = db.transaction(['models', 'summaries'], 'readwrite');
    await Promise.all([tx.objectStore('models').delete(id), tx.objectStore('summaries').delete(id), tx.done]);
  } finally {
    db.close();
  }
}
