// The trained personal model, one per NSFW model (embeddings of different models do not mix), in the
// extension origin's IndexedDB. The offscreen document writes it after training and reads it to score;
// the options page and popup read its per-tag stats. What is read back is checked (parsePersonalModel),
// so a damaged record reads as "not trained yet" instead of breaking scoring.
import type { DBSchema } from 'idb';
import { openGivingWay } from '../util/idb-open';
import type { ModelId } from '../model/catalog';
import { parsePersonalModel, type PersonalModel } from './personal-model';

export const PERSONAL_DB_NAME = 'megane-personal';

interface PersonalDB extends DBSchema {
  models: { key: ModelId; value: { model: ModelId; personal: PersonalModel } };
}

// A connection per call, closed after it; one open while another context upgrades or deletes the
// database closes at once instead of blocking it (openGivingWay).
const open = (name: string) =>
  openGivingWay<PersonalDB>(name, 1, {
    upgrade(db) {
      db.createObjectStore('models', { keyPath: 'model' });
    },
    stores: ['models'],
  });

export async function savePersonalModel(model: ModelId, personal: PersonalModel, dbName = PERSONAL_DB_NAME): Promise<void> {
  const db = await open(dbName);
  try {
    await db.put('models', { model, personal });
  } finally {
    db.close();
  }
}

/** The stored personal model for `model`, or null when there is none (or it is unreadable: logged). */
export async function loadPersonalModel(model: ModelId, dbName = PERSONAL_DB_NAME): Promise<PersonalModel | null> {
  const db = await open(dbName);
  try {
    const row = await db.get('models', model);
    if (!row) return null;
    try {
      return parsePersonalModel(row.personal);
    } catch (error) {
      console.warn(`[Megane] ignoring a damaged personal model for ${model}:`, error);
      return null;
    }
  } finally {
    db.close();
  }
}

export async function clearPersonalModels(dbName = PERSONAL_DB_NAME): Promise<void> {
  const db = await open(dbName);
  try {
    await db.clear('models');
  } finally {
    db.close();
  }
}
