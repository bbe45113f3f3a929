// The marks as a dataset ZIP the user can keep, train on, or import again (see README.txt below for
// the layout). importDataset restores exactly what exportDataset wrote; anything it cannot use is
// reported line by line instead of failing the whole import.
import { strFromU8, strToU8, unzipSync, zipSync, type Unzipped, type Zippable } from 'fflate';
import { isModelId } from '../model/catalog';
import {
  isAnyTagId,
  isCustomTagId,
  isTagId,
  readCustomTag,
  TAG_IDS,
  tagLabel,
  tagSpec,
  type AnyTagId,
  type CustomTag,
  type FaceBox,
} from '../tags/vocabulary';
import { sortTags } from './apply-mark';
import type { MarkRecord, Marks, MarkScores, MarkThumbnail, Verdict } from './mark-types';
import { annotationFor, labelsFor } from './region-cropper';
import { base64ToBytes, bytesToBase64 } from '../util/base64';
import { describeValue, errorText, isCount, isFiniteNumber, isRecord } from '../util/checks';

export const DATASET_FORMAT = 'megane-dataset';
export const DATASET_VERSION = 1;

export interface ExportOptions {
  /** ms since the epoch; also every entry's time stamp, so the same input gives the same bytes. */
  exportedAt: number;
  extensionVersion: string;
  /** The user's own tags, labelled 20, 21, ... in this order (tags used by marks but no longer defined follow). */
  customTags?: readonly CustomTag[];
}

/**
 * What an import reads at most. fflate's unzipSync allocates each entry at the size its central
 * directory declares and drops anything a lying entry inflates beyond it, so checking the declared
 * sizes before an entry is inflated (the `filter` it calls first) bounds the memory for real.
 * The defaults hold about 40,000 marked images with their thumbnails and embeddings.
 */
export interface ZipLimits {
  /** Bytes of the ZIP file itself. */
  fileBytes: number;
  /** Entries in the ZIP (every file, also those not read). */
  entries: number;
  /** Bytes one entry may unpack to. */
  entryBytes: number;
  /** Bytes every entry that is read may unpack to together. */
  totalBytes: number;
}

const MB = 1_000_000;

export const ZIP_LIMITS: Readonly<ZipLimits> = Object.freeze({
  fileBytes: 1000 * MB,
  entries: 100_000,
  entryBytes: 500 * MB,
  totalBytes: 1000 * MB,
});

export interface ImportResult {
  records: MarkRecord[];
  /** The user tags the dataset defines (tags.json) or uses, so the importer can add them to its settings. */
  customTags: CustomTag[];
  /** One line per thing that was skipped or replaced, naming the file (and line). */
  problems: string[];
}

/** One manifest.jsonl line, as written. */
interface ManifestLine {
  id: string;
  file: string | null;
  annotation: string | null;
  url: string;
  pageUrl: string;
  createdAt: number;
  updatedAt: number;
  marks: Marks;
  model: MarkRecord['model'];
  scores: MarkScores | null;
  faces: FaceBox[];
  imageSize: MarkRecord['imageSize'];
  thumbnail: { type: string; width: number; height: number } | null;
  embedding: { dtype: 'float32le'; length: number; base64: string } | null;
}

const README = `Megane dataset export
=====================

Images the user marked (like, dislike, should be hidden/shown, tags) in the Megane browser extension.

dataset.json       {"format": "${DATASET_FORMAT}", "version": ${DATASET_VERSION}, "exportedAt": <ms since epoch>, "extensionVersion", "count"}
manifest.jsonl     one JSON object per line, one line per marked image:
                     id          short hash of the image URL (16 hex digits, "-2" etc. added on a clash)
                     file        "images/<id>.jpg", the thumbnail (at most 256 px on the long side), or null
                                 when the image could not be read
                     annotation  "annotations/<id>.json", or null when there is no thumbnail
                     url, pageUrl, createdAt, updatedAt (ms since epoch)
                     marks       {"like", "dislike", "verdict": "hide"|"show"|null, "tags": [tag ids]}
                     model       {"id", "version"} of the NSFW model that scored the image, or null
                     scores      {"classes": [Drawing, Hentai, Neutral, Porn, Sexy], "tags": {tag id: 0..1}, "nsfw": 0..1} or null
                     faces       [{"left", "top", "right", "bottom", "score", "female"?}], fractions 0..1 of the image
                     imageSize   {"width", "height"} of the original image in pixels, or null
                     thumbnail   {"type", "width", "height"} of the file, or null
                     embedding   {"dtype": "float32le", "length", "base64"}: the model's embedding, or null
images/<id>.jpg    the thumbnails (JPEG; another type gets its own extension, e.g. .png)
annotations/<id>.json
                   "Region Cropper" annotation of the thumbnail: {"generator": "Region Cropper",
                   "file_name": "<id>.jpg" (in images/), "regions": [{"probability", "label", "rect":
                   {"left", "top", "right", "bottom"}}]}. Rects are in the THUMBNAIL's pixels. One region
                   per detected face (label = index of "face", probability = detector score) and one
                   whole-image region per mark (probability 1.0): each tag, "like" and "dislike".
tags.json          the label ids: [{"index", "id", "label"}]; "label" in annotations is "index" here.
                   0..19 are the vocabulary; the user's own tags ("user:..." ids) follow, from 20.
`;

/** Writes the dataset ZIP for `records` (in the order given). Same input, same bytes. */
export function exportDataset(records: readonly MarkRecord[], opts: ExportOptions): Uint8Array {
  const defined = opts.customTags ?? [];
  const used = records.flatMap((r) => r.marks.tags).filter(isCustomTagId);
  const labels = labelsFor([...defined.map((t) => t.id), ...[...new Set(used)].filter((id) => !defined.some((t) => t.id === id)).sort()]);
  const ids = new Map<string, string>();
  const images: Zippable = {};
  const annotations: Zippable = {};
  const lines: string[] = [];
  for (const record of records) {
    const id = uniqueId(record.url, ids);
    const thumb = record.thumbnail;
    const fileName = thumb ? `${id}.${extensionFor(thumb.type)}` : null;
    const file = fileName ? `images/${fileName}` : null;
    const annotation = thumb ? `annotations/${id}.json` : null;
    if (thumb && fileName && file && annotation) {
      // Compressed images do not shrink; storing them saves the time.
      images[file] = [thumb.bytes, { level: 0 }];
      annotations[annotation] = strToU8(`${JSON.stringify(annotationFor(record, fileName, thumb.width, thumb.height, labels), null, 2)}\n`);
    }
    const line: ManifestLine = {
      id,
      file,
      annotation,
      url: record.url,
      pageUrl: record.pageUrl,
      createdAt: record.createdAt,
      updatedAt: record.updatedAt,
      marks: { like: record.marks.like, dislike: record.marks.dislike, verdict: record.marks.verdict, tags: sortTags(record.marks.tags) },
      model: record.model ? { id: record.model.id, version: record.model.version } : null,
      scores: record.scores
        ? { classes: [...record.scores.classes], tags: tagsInOrder(record.scores.tags), nsfw: record.scores.nsfw }
        : null,
      faces: record.faces.map(faceFields),
      imageSize: record.imageSize ? { width: record.imageSize.width, height: record.imageSize.height } : null,
      thumbnail: thumb ? { type: thumb.type, width: thumb.width, height: thumb.height } : null,
      embedding: record.embedding
        ? { dtype: 'float32le', length: record.embedding.length, base64: float32ToBase64(record.embedding) }
        : null,
    };
    lines.push(JSON.stringify(line));
  }
  const header = {
    format: DATASET_FORMAT,
    version: DATASET_VERSION,
    exportedAt: opts.exportedAt,
    extensionVersion: opts.extensionVersion,
    count: records.length,
  };
  // Vocabulary tags by their English names whatever the browser's language, so every export names them alike.
  const tags = labels.ids.map((id, index) => ({ index, id, label: isTagId(id) ? tagSpec(id).label : tagLabel(id, defined) }));
  const files: Zippable = {
    'README.txt': strToU8(README),
    'dataset.json': strToU8(`${JSON.stringify(header, null, 2)}\n`),
    'tags.json': strToU8(`${JSON.stringify(tags, null, 2)}\n`),
    'manifest.jsonl': strToU8(lines.map((l) => `${l}\n`).join('')),
    ...images,
    ...annotations,
  };
  return zipSync(files, { level: 6, mtime: zipTime(opts.exportedAt) });
}

/**
 * Reads a dataset ZIP written by exportDataset. Lines and files it cannot use are skipped or
 * repaired and reported in `problems`; the marks are kept whenever they can be. manifest.jsonl is the
 * source of truth: annotations/ and tags.json are derived from it and are not read.
 * Throws an Error when nothing can be read at all: not a ZIP, not a Megane dataset, no manifest.
 */
export function importDataset(bytes: Uint8Array, limits: Readonly<ZipLimits> = ZIP_LIMITS): ImportResult {
  if (!(bytes instanceof Uint8Array)) throw new Error('Not a Megane dataset: expected the bytes of a ZIP file');
  const zip = readZip(bytes, limits);
  const problems: string[] = [];
  readHeader(zip, problems);
  const manifest = entry(zip, 'manifest.jsonl');
  if (!manifest) throw new DatasetRefused({ kind: 'no-manifest' });

  const records: MarkRecord[] = [];
  const seen = new Map<string, number>();
  const text = strFromU8(manifest);
  text.split('\n').forEach((raw, index) => {
    const lineNo = index + 1;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') return;
    const at = `manifest.jsonl line ${lineNo}`;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (error) {
      problems.push(`${at}: not valid JSON (${errorText(error)}); skipped`);
      return;
    }
    const record = readLine(json, at, zip, problems);
    if (!record) return;
    const first = seen.get(record.url);
    if (first !== undefined) {
      problems.push(`${at}: ${record.url} is already on line ${first}; skipped`);
      return;
    }
    seen.set(record.url, lineNo);
    records.push(record);
  });
  return { records, problems, customTags: readCustomTags(zip, records, problems) };
}

/**
 * Why importDataset read nothing at all. The error's message says it in English (the training CLI
 * prints it); the options page says `refusal` in the user's language.
 */
export type DatasetRefusal =
  | { kind: 'not-zip'; detail: string }
  | { kind: 'no-manifest' }
  | { kind: 'wrong-format'; format: string }
  /** Sizes and counts as text: "1,500 MB", "100,000". */
  | { kind: 'file-too-large'; size: string; limit: string }
  | { kind: 'too-many-files'; limit: string }
  | { kind: 'entry-too-large'; name: string; size: string; limit: string }
  | { kind: 'unpacks-too-large'; limit: string };

export class DatasetRefused extends Error {
  constructor(readonly refusal: DatasetRefusal) {
    super(refusalText(refusal));
  }
}

function refusalText(r: DatasetRefusal): string {
  const bomb = (why: string) => `Not imported: ${why}. A Megane dataset is never that large; the file may be a ZIP bomb`;
  switch (r.kind) {
    case 'not-zip':
      return `Not a Megane dataset: the file is not a ZIP archive, or it is damaged (${r.detail})`;
    case 'no-manifest':
      return 'Not a Megane dataset: the ZIP has no manifest.jsonl';
    case 'wrong-format':
      return `Not a Megane dataset: dataset.json says format ${r.format}, expected "${DATASET_FORMAT}"`;
    case 'file-too-large':
      return bomb(`the file is ${r.size}, more than ${r.limit}`);
    case 'too-many-files':
      return bomb(`it has more than ${r.limit} files`);
    case 'entry-too-large':
      return bomb(`${r.name} unpacks to ${r.size}, more than the ${r.limit} one file may`);
    case 'unpacks-too-large':
      return bomb(`its files unpack to more than ${r.limit}`);
  }
}

/** Thrown from unzipSync's filter, before the entry it names is inflated. */
class OverLimit extends Error {
  constructor(readonly refusal: DatasetRefusal) {
    super(refusal.kind);
  }
}

/** The entries importDataset reads, refusing (before inflating it) an entry that would go over `limits`. */
function readZip(bytes: Uint8Array, limits: Readonly<ZipLimits>): Unzipped {
  const tooLarge = datasetSizeRefusal(bytes.length, limits);
  if (tooLarge) throw new DatasetRefused(tooLarge);
  try {
    // First only the central directory: every entry's declared size, nothing inflated.
    let entries = 0;
    let total = 0;
    unzipSync(bytes, {
      filter(file) {
        entries += 1;
        if (entries > limits.entries) throw new OverLimit({ kind: 'too-many-files', limit: limits.entries.toLocaleString('en') });
        if (!isRead(file.name)) return false;
        // A stored entry is copied at its compressed size, a deflated one allocated at its declared size.
        const size = Math.max(file.size, file.originalSize);
        if (size > limits.entryBytes) {
          throw new OverLimit({ kind: 'entry-too-large', name: file.name, size: sizeText(size), limit: sizeText(limits.entryBytes) });
        }
        total += size;
        if (total > limits.totalBytes) throw new OverLimit({ kind: 'unpacks-too-large', limit: sizeText(limits.totalBytes) });
        return false;
      },
    });
    return unzipSync(bytes, { filter: (file) => isRead(file.name) });
  } catch (error) {
    if (error instanceof OverLimit) throw new DatasetRefused(error.refusal);
    throw new DatasetRefused({ kind: 'not-zip', detail: errorText(error) });
  }
}

/** annotations/ is derived from the manifest and not read, so it is not inflated either. */
const isRead = (name: string) => !name.startsWith('annotations/');

/** Why a file of `size` bytes is not read at all (checked before reading it), or null. */
export function datasetSizeRefusal(size: number, limits: Readonly<ZipLimits> = ZIP_LIMITS): DatasetRefusal | null {
  return size > limits.fileBytes ? { kind: 'file-too-large', size: sizeText(size), limit: sizeText(limits.fileBytes) } : null;
}

/** datasetSizeRefusal in English words, or null. */
export function datasetFileTooLarge(size: number, limits: Readonly<ZipLimits> = ZIP_LIMITS): string | null {
  const refusal = datasetSizeRefusal(size, limits);
  return refusal && refusalText(refusal);
}

function sizeText(bytes: number): string {
  return bytes >= MB ? `${Math.round(bytes / MB).toLocaleString('en')} MB` : `${bytes.toLocaleString('en')} bytes`;
}

/** The user tags named in tags.json, plus any a mark uses that it does not name (labelled by their id). */
function readCustomTags(zip: Unzipped, records: readonly MarkRecord[], problems: string[]): CustomTag[] {
  const found = new Map<string, CustomTag>();
  const bytes = entry(zip, 'tags.json');
  if (bytes) {
    try {
      const list: unknown = JSON.parse(strFromU8(bytes));
      for (const item of Array.isArray(list) ? list : []) {
        const tag = readCustomTag(item);
        if (tag !== null) found.set(tag.id, tag);
      }
    } catch (error) {
      problems.push(`tags.json: not valid JSON (${errorText(error)}); user tags are named by their ids`);
    }
  }
  for (const id of records.flatMap((r) => r.marks.tags).filter(isCustomTagId)) {
    if (!found.has(id)) found.set(id, { id, label: tagLabel(id) });
  }
  return [...found.values()];
}

// ---- export helpers

/** A stable 16-hex-digit id for a URL (64-bit FNV-1a of its UTF-8 bytes), suffixed on a clash. */
export function urlId(url: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(url)) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, '0');
}

function uniqueId(url: string, used: Map<string, string>): string {
  const base = urlId(url);
  let id = base;
  for (let n = 2; used.has(id); n += 1) id = `${base}-${n}`;
  used.set(id, url);
  return id;
}

function extensionFor(type: string): string {
  const known: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp', 'image/gif': 'gif' };
  return known[type] ?? 'bin';
}

/** Vocabulary tags in vocabulary order, then user tags in id order. */
function tagsInOrder(tags: Partial<Record<AnyTagId, number>>): Partial<Record<AnyTagId, number>> {
  const out: Partial<Record<AnyTagId, number>> = {};
  const custom = (Object.keys(tags) as AnyTagId[]).filter(isCustomTagId).sort();
  for (const id of [...TAG_IDS, ...custom]) {
    const value = tags[id];
    if (value !== undefined) out[id] = value;
  }
  return out;
}

function faceFields(face: FaceBox): FaceBox {
  const out: FaceBox = { left: face.left, top: face.top, right: face.right, bottom: face.bottom, score: face.score };
  if (face.female !== undefined) out.female = face.female;
  return out;
}

/** ZIP (DOS) times cover 1980..2107; a time stamp outside that is written as the earliest one. */
function zipTime(ms: number): Date {
  const date = new Date(ms);
  const year = date.getFullYear();
  return Number.isFinite(ms) && year >= 1980 && year <= 2099 ? date : new Date(1980, 0, 1, 12);
}

function float32ToBase64(values: Float32Array): string {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return bytesToBase64(bytes);
}

function base64ToFloat32(base64: string, length: number): Float32Array | string {
  let bytes: Uint8Array;
  try {
    bytes = base64ToBytes(base64);
  } catch {
    return 'is not valid base64';
  }
  if (bytes.length !== length * 4) return `has ${bytes.length} bytes, expected ${length * 4} for ${length} floats`;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(length);
  for (let i = 0; i < length; i += 1) out[i] = view.getFloat32(i * 4, true);
  return out;
}

// ---- import helpers

function readHeader(zip: Unzipped, problems: string[]): void {
  const bytes = entry(zip, 'dataset.json');
  if (!bytes) {
    problems.push(`dataset.json: missing; reading manifest.jsonl as version ${DATASET_VERSION}`);
    return;
  }
  let header: unknown;
  try {
    header = JSON.parse(strFromU8(bytes));
  } catch (error) {
    problems.push(`dataset.json: not valid JSON (${errorText(error)}); reading manifest.jsonl as version ${DATASET_VERSION}`);
    return;
  }
  if (!isRecord(header) || header.format !== DATASET_FORMAT) {
    const format = isRecord(header) ? describeValue(header.format) : describeValue(header);
    throw new DatasetRefused({ kind: 'wrong-format', format });
  }
  if (typeof header.version !== 'number' || !Number.isInteger(header.version)) {
    problems.push(`dataset.json: version ${describeValue(header.version)} is not a version number; reading as version ${DATASET_VERSION}`);
  } else if (header.version > DATASET_VERSION) {
    problems.push(`dataset.json: version ${header.version} is newer than this Megane reads (${DATASET_VERSION}); reading what it can`);
  }
}

/** One manifest line as a record, or null (with the reason in problems) when it cannot be used. */
function readLine(json: unknown, at: string, zip: Unzipped, problems: string[]): MarkRecord | null {
  if (!isRecord(json)) {
    problems.push(`${at}: expected an object, got ${describeValue(json)}; skipped`);
    return null;
  }
  const skip = (why: string): null => {
    problems.push(`${at}: ${why}; skipped`);
    return null;
  };
  const { url, pageUrl, createdAt, updatedAt } = json;
  if (typeof url !== 'string' || url === '') return skip(`url ${describeValue(url)} is not a URL`);
  if (typeof pageUrl !== 'string') return skip(`pageUrl ${describeValue(pageUrl)} is not a string`);
  if (!isTime(createdAt)) return skip(`createdAt ${describeValue(createdAt)} is not a time`);
  if (!isTime(updatedAt)) return skip(`updatedAt ${describeValue(updatedAt)} is not a time`);
  const marks = readMarks(json.marks, at, problems);
  if (!marks) return null;

  let model: MarkRecord['model'] = null;
  let scores: MarkScores | null = null;
  let embedding: Float32Array | null = null;
  const rawModel = json.model;
  const modelOk = rawModel === null || (isRecord(rawModel) && isModelId(rawModel.id) && typeof rawModel.version === 'string');
  if (!modelOk) {
    // Scores and embedding mean nothing without the model that made them.
    problems.push(`${at}: model ${describeValue(rawModel)} is not a model this Megane knows; its scores and embedding are dropped`);
  } else {
    if (isRecord(rawModel) && isModelId(rawModel.id) && typeof rawModel.version === 'string') {
      model = { id: rawModel.id, version: rawModel.version };
    }
    scores = readScores(json.scores, at, problems);
    embedding = readEmbedding(json.embedding, at, problems);
  }

  return {
    url,
    pageUrl,
    createdAt,
    updatedAt,
    marks,
    model,
    scores,
    embedding,
    faces: readFaces(json.faces, at, problems),
    thumbnail: readThumbnail(json, at, zip, problems),
    imageSize: readSize(json.imageSize, `${at}: imageSize`, problems),
  };
}

function readMarks(value: unknown, at: string, problems: string[]): Marks | null {
  const skip = (why: string): null => {
    problems.push(`${at}: ${why}; skipped`);
    return null;
  };
  if (!isRecord(value)) return skip(`marks ${describeValue(value)} is not an object`);
  const { like, dislike, verdict, tags } = value;
  if (typeof like !== 'boolean' || typeof dislike !== 'boolean') {
    return skip(`marks.like and marks.dislike must be true or false, got ${describeValue(like)} and ${describeValue(dislike)}`);
  }
  if (!(verdict === null || verdict === 'hide' || verdict === 'show')) {
    return skip(`marks.verdict ${describeValue(verdict)} is not "hide", "show" or null`);
  }
  if (!Array.isArray(tags)) return skip(`marks.tags ${describeValue(tags)} is not an array`);
  const known: AnyTagId[] = [];
  for (const tag of tags as unknown[]) {
    if (isAnyTagId(tag)) known.push(tag);
    else problems.push(`${at}: unknown tag ${describeValue(tag)} in marks.tags; dropped`);
  }
  // 'like' and 'dislike' live in the booleans (mark-types.ts); accept them in the list too.
  let liked = like || known.includes('like');
  let disliked = dislike || known.includes('dislike');
  if (liked && disliked) {
    problems.push(`${at}: marked both like and dislike; keeping neither`);
    liked = false;
    disliked = false;
  }
  const marks: Marks = { like: liked, dislike: disliked, verdict: verdict as Verdict | null, tags: sortTags(known) };
  if (!marks.like && !marks.dislike && marks.verdict === null && marks.tags.length === 0) {
    return skip('no marks left');
  }
  return marks;
}

function readScores(value: unknown, at: string, problems: string[]): MarkScores | null {
  if (value === null) return null;
  const drop = (why: string): null => {
    problems.push(`${at}: scores ${why}; dropped`);
    return null;
  };
  if (!isRecord(value)) return drop(`${describeValue(value)} is not an object`);
  const { classes, tags, nsfw } = value;
  if (!Array.isArray(classes) || !classes.every(isFiniteNumber)) return drop(`.classes ${describeValue(classes)} is not a list of numbers`);
  if (!isFiniteNumber(nsfw)) return drop(`.nsfw ${describeValue(nsfw)} is not a number`);
  if (!isRecord(tags)) return drop(`.tags ${describeValue(tags)} is not an object`);
  const out: Partial<Record<AnyTagId, number>> = {};
  for (const [id, score] of Object.entries(tags)) {
    if (!isAnyTagId(id)) problems.push(`${at}: unknown tag ${describeValue(id)} in scores.tags; dropped`);
    else if (!isFiniteNumber(score)) problems.push(`${at}: scores.tags.${id} ${describeValue(score)} is not a number; dropped`);
    else out[id] = score;
  }
  return { classes: [...(classes as number[])], tags: tagsInOrder(out), nsfw };
}

function readEmbedding(value: unknown, at: string, problems: string[]): Float32Array | null {
  if (value === null || value === undefined) return null;
  const drop = (why: string): null => {
    problems.push(`${at}: embedding ${why}; dropped`);
    return null;
  };
  if (!isRecord(value)) return drop(`${describeValue(value)} is not an object`);
  const { dtype, length, base64 } = value;
  if (dtype !== 'float32le') return drop(`dtype ${describeValue(dtype)} is not "float32le"`);
  if (!isCount(length)) return drop(`length ${describeValue(length)} is not a count`);
  if (typeof base64 !== 'string') return drop('base64 is not a string');
  const decoded = base64ToFloat32(base64, length);
  return typeof decoded === 'string' ? drop(decoded) : decoded;
}

function readFaces(value: unknown, at: string, problems: string[]): FaceBox[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    problems.push(`${at}: faces ${describeValue(value)} is not an array; dropped`);
    return [];
  }
  const faces: FaceBox[] = [];
  value.forEach((face: unknown, i) => {
    const ok =
      isRecord(face) &&
      [face.left, face.top, face.right, face.bottom, face.score].every(isFiniteNumber) &&
      (face.female === undefined || isFiniteNumber(face.female));
    if (ok) faces.push(faceFields(face as unknown as FaceBox));
    else problems.push(`${at}: faces[${i}] ${describeValue(face)} is not a face box; dropped`);
  });
  return faces;
}

function readThumbnail(line: Record<string, unknown>, at: string, zip: Unzipped, problems: string[]): MarkThumbnail | null {
  const { file, thumbnail } = line;
  if ((file === null || file === undefined) && (thumbnail === null || thumbnail === undefined)) return null;
  const drop = (why: string): null => {
    problems.push(`${at}: ${why}; the thumbnail is dropped`);
    return null;
  };
  if (typeof file !== 'string') return drop(`file ${describeValue(file)} is not a file name`);
  if (!isRecord(thumbnail) || typeof thumbnail.type !== 'string') {
    return drop(`thumbnail ${describeValue(thumbnail)} is not {type, width, height}`);
  }
  const size = readSize({ width: thumbnail.width, height: thumbnail.height }, `${at}: thumbnail`, problems);
  if (!size) return null;
  const bytes = entry(zip, file);
  if (!bytes) return drop(`${file} is missing from the ZIP`);
  // A view into a larger buffer would be stored with that whole buffer (structured clone).
  const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
  return { type: thumbnail.type, bytes: own, width: size.width, height: size.height };
}

function readSize(value: unknown, at: string, problems: string[]): { width: number; height: number } | null {
  if (value === null || value === undefined) return null;
  const isSide = (v: unknown): v is number => isCount(v) && v > 0;
  if (isRecord(value) && isSide(value.width) && isSide(value.height)) return { width: value.width, height: value.height };
  problems.push(`${at} ${describeValue(value)} is not {width, height} in whole pixels; dropped`);
  return null;
}

/** A file of the ZIP by name; a name like "__proto__" in a manifest finds nothing. */
function entry(zip: Unzipped, name: string): Uint8Array | undefined {
  const bytes = Object.hasOwn(zip, name) ? zip[name] : undefined;
  return bytes instanceof Uint8Array ? bytes : undefined;
}

const isTime = (v: unknown): v is number => isFiniteNumber(v) && v >= 0;
