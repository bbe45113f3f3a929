// The personal model as stored and applied: its shape, how to check a stored one, and how to score an
// embedding with it. Plain JS, no tfjs: the options page and the host's scoring need only this; training
// is in train-personal.ts.
import { headScore, parseHead, type Head } from '../model/embedding-heads';
import { isCount, isFiniteNumber, isRecord } from '../util/checks';

export interface PersonalTagStats {
  /** Examples labelled 1 / 0 for the tag (all of them, train and held out). */
  positives: number;
  negatives: number;
  /** Accuracy at 0.5 on the held-out examples of a head trained without them; null if not measured. */
  heldOutAccuracy: number | null;
  heldOutCount: number;
  /** Whether the head can be relied on (see TRUST_RULES); a reason is given when it cannot. */
  trusted: boolean;
  reason?: string;
}

export interface PersonalModel {
  /** Length of the embeddings it was trained on (and of every head's weights). */
  embeddingSize: number;
  /** Date.now() when training finished. */
  trainedAt: number;
  /** Heads of the tags that had enough examples; score = sigmoid(weights . embedding + bias). */
  tags: Record<string, Head>;
  /** One entry per tag seen in the examples, trained or not. */
  stats: Record<string, PersonalTagStats>;
}

/**
 * Scores (0..1) for every tag the model has a head for, trusted or not (see model.stats for that).
 * Throws if the embedding is not model.embeddingSize long (another model, or embeddings turned off).
 */
export function applyPersonalModel(model: PersonalModel, embedding: readonly number[]): Record<string, number> {
  if (embedding.length !== model.embeddingSize) {
    throw new Error(`personal model needs an embedding of ${model.embeddingSize} values, got ${embedding.length}`);
  }
  return Object.fromEntries(Object.entries(model.tags).map(([tag, head]) => [tag, headScore(head, embedding)]));
}

// ---- training

function parseStats(tag: string, raw: unknown): PersonalTagStats {
  const where = `personal model: stats.${tag}`;
  if (!isRecord(raw)) throw new Error(`${where} must be an object`);
  const { positives, negatives, heldOutAccuracy, heldOutCount, trusted, reason } = raw;
  if (!isCount(positives) || !isCount(negatives)) throw new Error(`${where}.positives and .negatives must be counts`);
  if (heldOutAccuracy !== null && (!isFiniteNumber(heldOutAccuracy) || heldOutAccuracy < 0 || heldOutAccuracy > 1)) {
    throw new Error(`${where}.heldOutAccuracy must be null or in 0..1`);
  }
  if (!isCount(heldOutCount)) throw new Error(`${where}.heldOutCount must be a count`);
  if (heldOutCount > positives + negatives) throw new Error(`${where}.heldOutCount is more than its examples`);
  if (typeof trusted !== 'boolean') throw new Error(`${where}.trusted must be true or false`);
  if (reason !== undefined && typeof reason !== 'string') throw new Error(`${where}.reason must be a string`);
  const stats: PersonalTagStats = { positives, negatives, heldOutAccuracy, heldOutCount, trusted };
  if (reason !== undefined) stats.reason = reason;
  return stats;
}

/**
 * Checks a stored personal model (as read from IndexedDB / chrome.storage or parsed from JSON) and returns
 * a fresh typed copy; unknown fields are dropped. Throws an Error saying what is wrong: wrong embedding
 * size, weights of the wrong length or not finite, a head without stats, a trusted tag without a head,
 * counts or accuracies out of range.
 */
export function parsePersonalModel(json: unknown): PersonalModel {
  if (!isRecord(json)) throw new Error('personal model: expected an object');
  const { embeddingSize, trainedAt, tags, stats } = json;
  if (typeof embeddingSize !== 'number' || !Number.isInteger(embeddingSize) || embeddingSize <= 0) {
    throw new Error(`personal model: embeddingSize must be a positive integer, got ${JSON.stringify(embeddingSize)}`);
  }
  if (!isFiniteNumber(trainedAt) || trainedAt < 0) throw new Error('personal model: trainedAt must be a time in ms');
  if (!isRecord(tags)) throw new Error('personal model: tags must be an object');
  if (!isRecord(stats)) throw new Error('personal model: stats must be an object');
  const parsedTags = Object.entries(tags).map(([tag, raw]): [string, Head] => [
    tag,
    parseHead(`personal model: tags.${tag}`, raw, embeddingSize),
  ]);
  const parsedStats = Object.entries(stats).map(([tag, raw]): [string, PersonalTagStats] => [tag, parseStats(tag, raw)]);
  const statsOf = new Map(parsedStats);
  const withHead = new Set(Object.keys(tags));
  for (const [tag] of parsedTags) if (!statsOf.has(tag)) throw new Error(`personal model: tags.${tag} has no stats`);
  for (const [tag, s] of parsedStats)
    if (s.trusted && !withHead.has(tag)) throw new Error(`personal model: stats.${tag} is trusted but has no head`);
  return { embeddingSize, trainedAt, tags: Object.fromEntries(parsedTags), stats: Object.fromEntries(parsedStats) };
}
