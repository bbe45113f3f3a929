// One schema, one defaults object, versioned migrations. Stored in chrome.storage.local under the
// key `settings` (see docs/settings.md). Validation is per field: a bad field falls back to its
// default and is reported, the rest of the user's settings survive.
import { isBackendChoice, type BackendChoice } from '../model/backends';
import { isModelId, type ModelId } from '../model/catalog';
import { onFusedScale } from '../tags/fuse-scores';
import {
  MAX_CUSTOM_TAGS,
  MAX_TAG_LABEL,
  isAnyTagId,
  isCustomTagId,
  isTagId,
  tagSpec,
  type AnyTagId,
  type CustomTag,
} from '../tags/vocabulary';
import { describeValue, isCount, isFiniteNumber, isRecord } from '../util/checks';

export const SETTINGS_KEY = 'settings';
export const SETTINGS_VERSION = 12;

export type ErrorPolicy = 'cover' | 'show';
/** How a covered picture looks: blurred (the default), a solid grey tile, or not at all (its box stays). */
export type CoverStyle = 'blur' | 'tile' | 'hide';
export const COVER_STYLES: readonly CoverStyle[] = ['blur', 'tile', 'hide'];

/** What to do with one tag: hide images whose score is at or above the threshold. */
export interface TagRule {
  hide: boolean;
  /** 0..1; when absent the tag's default threshold (src/tags/vocabulary.ts) applies. */
  threshold?: number;
}

export interface Settings {
  version: typeof SETTINGS_VERSION;
  /** Master switch. */
  enabled: boolean;
  /** An image is covered when its NSFW score is at or above this (0..1). 0 covers everything. */
  nsfwThreshold: number;
  /** Images whose laid-out width and height are both under this many CSS pixels are left alone. */
  minImageSize: number;
  /** What to do with an image that could not be checked. */
  onError: ErrorPolicy;
  model: ModelId;
  backend: BackendChoice;
  /** Per-site rules by host name: false = do not filter there. The most specific host wins. */
  siteRules: Record<string, boolean>;
  /** Per-tag rules (vocabulary and user tags). A tag without a rule hides nothing. `nsfw` is governed by nsfwThreshold. */
  tags: Partial<Record<AnyTagId, TagRule>>;
  /** Hovering a checked image shows its top tags. */
  showTagsOnHover: boolean;
  /** Hovering a checked image shows the mark buttons (like, dislike, hide/show, tag). */
  showMarkControls: boolean;
  /** Tags the user added; learned from their marks like the vocabulary's personal tags. */
  customTags: CustomTag[];
  /** The imported trained model (model3) that scores tags too, by its id; null for none. */
  trainedModel: string | null;
  /**
   * For a tag both Megane and the trained model score, which one decides: 'builtin' (the default) or
   * 'trained'. A tag only the trained model scores always uses it.
   */
  tagSources: Partial<Record<AnyTagId, TagDecider>>;
  /**
   * Check what pages draw on <canvas> (comic and manga readers): readable canvases at or above the
   * minimum size are covered until checked, and checked again when redrawn. Off: canvases are untouched.
   */
  checkCanvases: boolean;
  /**
   * Model workers on the CPU backend (WASM), each using one core: 0 = automatic (one per core but one,
   * left for the page; at least one), else 1 to MAX_MODEL_WORKERS. More check faster and load the
   * computer more.
   */
  modelWorkers: number;
  /**
   * Minutes the model stays loaded after the last image (1 to MAX_KEEP_MODEL_MINUTES): then its memory
   * is freed, and the next image loads it again (a few seconds).
   */
  keepModelMinutes: number;
  /** The toolbar button shows how many images are covered on the tab. */
  showBadge: boolean;
  /** How a covered picture looks: blurred, a solid grey tile, or hidden with its box kept (cover-style.ts). */
  coverStyle: CoverStyle;
  /** Megane is paused (filters nothing) until this time, in ms since the epoch; 0: not paused (pause.ts). */
  pausedUntil: number;
  /**
   * Whether a face, girl, boy, cat, dog or food rule also runs its detector (more precise on photos, slower);
   * off, those tags come from their embedding heads alone and only the NSFW model runs (issue 13).
   */
  useDetectors: boolean;
}

export const MAX_MODEL_WORKERS = 8;
export const MAX_KEEP_MODEL_MINUTES = 24 * 60;

/** Which model decides a tag that both score: Megane's built-in models or the imported trained one. */
export type TagDecider = 'builtin' | 'trained';

export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({
  version: SETTINGS_VERSION,
  enabled: true,
  nsfwThreshold: 0.7,
  minImageSize: 48,
  onError: 'cover',
  model: 'mobilenet_v2_mid',
  backend: 'auto',
  siteRules: Object.freeze({}) as Record<string, boolean>,
  tags: Object.freeze({}) as Partial<Record<AnyTagId, TagRule>>,
  showTagsOnHover: false,
  showMarkControls: true,
  customTags: Object.freeze([]) as unknown as CustomTag[],
  trainedModel: null,
  tagSources: Object.freeze({}) as Partial<Record<AnyTagId, TagDecider>>,
  checkCanvases: false,
  modelWorkers: 0,
  keepModelMinutes: 5,
  showBadge: true,
  coverStyle: 'blur',
  pausedUntil: 0,
  useDetectors: true,
});

export interface ValidationResult {
  settings: Settings;
  /** Human-readable reasons for every value that was replaced by its default. */
  problems: string[];
}

type Checker<K extends keyof Settings> = (value: unknown) => value is Settings[K];

const isBool = (v: unknown): v is boolean => typeof v === 'boolean';
const isUnit = (v: unknown): v is number => isFiniteNumber(v) && v >= 0 && v <= 1;
const isPixels = (v: unknown): v is number => isCount(v) && v <= 4096;
const isKeepModelMinutes = (v: unknown): v is number => isCount(v) && v >= 1 && v <= MAX_KEEP_MODEL_MINUTES;
const isModelWorkers = (v: unknown): v is number => isCount(v) && v <= MAX_MODEL_WORKERS;
const isErrorPolicy = (v: unknown): v is ErrorPolicy => v === 'cover' || v === 'show';
const isTagRules = (v: unknown): v is Partial<Record<AnyTagId, TagRule>> =>
  isRecord(v) &&
  Object.entries(v).every(
    ([id, rule]) =>
      isAnyTagId(id) &&
      id !== 'nsfw' &&
      isRecord(rule) &&
      typeof rule.hide === 'boolean' &&
      (rule.threshold === undefined || isUnit(rule.threshold)),
  );
const isCustomTags = (v: unknown): v is CustomTag[] =>
  Array.isArray(v) &&
  v.length <= MAX_CUSTOM_TAGS &&
  v.every(
    (t: unknown) =>
      isRecord(t) && isCustomTagId(t.id) && typeof t.label === 'string' && t.label.trim() !== '' && t.label.length <= MAX_TAG_LABEL,
  ) &&
  new Set(v.map((t: CustomTag) => t.id)).size === v.length;
const isTrainedModel = (v: unknown): v is string | null => v === null || (typeof v === 'string' && v.length > 0 && v.length < 512);
const isTagSources = (v: unknown): v is Partial<Record<AnyTagId, TagDecider>> =>
  isRecord(v) && Object.entries(v).every(([id, source]) => isAnyTagId(id) && (source === 'builtin' || source === 'trained'));
const isSiteRules = (v: unknown): v is Record<string, boolean> =>
  isRecord(v) && Object.entries(v).every(([host, on]) => isHostName(host) && typeof on === 'boolean');

/** A lower-case host name (no scheme, port or path), e.g. "example.com" or "localhost". */
export function isHostName(value: string): boolean {
  return /^[a-z0-9-]+(\.[a-z0-9-]+)*$/.test(value) || /^\[[0-9a-f:]+\]$/.test(value);
}

const CHECKS: { [K in Exclude<keyof Settings, 'version'>]: Checker<K> } = {
  enabled: isBool,
  nsfwThreshold: isUnit,
  minImageSize: isPixels,
  onError: isErrorPolicy,
  model: isModelId,
  backend: isBackendChoice,
  siteRules: isSiteRules,
  tags: isTagRules,
  showTagsOnHover: isBool,
  showMarkControls: isBool,
  customTags: isCustomTags,
  trainedModel: isTrainedModel,
  tagSources: isTagSources,
  checkCanvases: isBool,
  modelWorkers: isModelWorkers,
  keepModelMinutes: isKeepModelMinutes,
  showBadge: isBool,
  coverStyle: (v: unknown): v is CoverStyle => COVER_STYLES.includes(v as CoverStyle),
  pausedUntil: (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0,
  useDetectors: isBool,
};

/**
 * Earlier stored shapes, oldest first. Each step takes version N and returns version N + 1. A step
 * only adds what is missing: an object stored without a version (read as v1) by a tool or a backup
 * may already hold later fields, and those are the user's.
 */
const MIGRATIONS: Record<number, (old: Record<string, unknown>) => Record<string, unknown>> = {
  // v1 (pre-release) kept a plain allowlist of hosts where filtering was off; v2 has per-host rules
  // so that a sub-domain can be switched back on under an allow-listed domain.
  1: ({ allowlist, ...rest }) => ({
    ...rest,
    version: 2,
    siteRules:
      allowlist === undefined && rest.siteRules !== undefined
        ? rest.siteRules
        : Object.fromEntries(
            (Array.isArray(allowlist) ? allowlist : [])
              .filter((h): h is string => typeof h === 'string')
              .map((h) => h.trim().toLowerCase())
              // One unusable entry must not make the whole rule set invalid and lose the others.
              .filter(isHostName)
              .map((h) => [h, false]),
          ),
  }),
  // v3 adds per-tag rules; nothing earlier hid anything but NSFW.
  2: (old) => ({ tags: {}, showTagsOnHover: false, ...old, version: 3 }),
  // v4 adds the mark buttons shown on hover (issue 4), on as for a new install.
  3: (old) => ({ showMarkControls: true, ...old, version: 4 }),
  // v5 adds the user's own tags; there were none before.
  4: (old) => ({ customTags: [], ...old, version: 5 }),
  // v6 adds the imported trained model (issue 5); none before.
  5: (old) => ({ trainedModel: null, tagSources: {}, ...old, version: 6 }),
  // v7 adds checking canvases (issue 10), off: a page's canvases stay as they were.
  6: (old) => ({ checkCanvases: false, ...old, version: 7 }),
  // v8 adds the number of model workers (issue 12), automatic, and how long the model stays loaded
  // after the last image, 5 minutes as before.
  7: (old) => ({ modelWorkers: 0, keepModelMinutes: 5, ...old, version: 8 }),
  // v9 adds the toolbar badge (issue 14), on as for a new install.
  8: (old) => ({ showBadge: true, ...old, version: 9 }),
  // v10 adds the cover style (issue 14): the blur, as before.
  9: (old) => ({ coverStyle: 'blur', ...old, version: 10 }),
  // v11 adds pausing (issue 14): not paused.
  10: (old) => ({ pausedUntil: 0, ...old, version: 11 }),
  // v12 (issue 13): face, girl, boy, cat, dog and food fuse an embedding head with their detector, on a
  // scale where the detector's own threshold sits at 0.5. A threshold the user set on the detector's
  // scale moves to the same place on the new one, so photos are decided as before; the detectors keep
  // running for those rules, as before.
  11: (old) => ({ useDetectors: true, ...old, tags: onFusedThresholds(old.tags), version: 12 }),
};

/** Stored tag rules with the detector tags' thresholds moved onto the fused scale (rounded to 0.01). */
function onFusedThresholds(tags: unknown): unknown {
  if (!isRecord(tags)) return tags;
  return Object.fromEntries(
    Object.entries(tags).map(([id, rule]) => {
      const detectorThreshold = isTagId(id) ? tagSpec(id).detectorThreshold : undefined;
      if (detectorThreshold === undefined || !isRecord(rule) || !isFiniteNumber(rule.threshold)) return [id, rule];
      return [id, { ...rule, threshold: Math.round(100 * onFusedScale(rule.threshold, detectorThreshold)) / 100 }];
    }),
  );
}

/** Brings any stored value up to the current schema. Never throws. */
export function parseSettings(stored: unknown): ValidationResult {
  const problems: string[] = [];
  if (stored === undefined || stored === null) return { settings: defaults(), problems };
  if (!isRecord(stored)) {
    return { settings: defaults(), problems: [`settings: expected an object, got ${describeValue(stored)}`] };
  }
  let raw = { ...stored };
  // No version at all is the pre-release v1 shape; a version that is not a whole number is a damaged
  // value, read as the current shape rather than "migrated" (which would drop its site rules).
  let version = raw.version === undefined ? 1 : Number.isInteger(raw.version) ? (raw.version as number) : SETTINGS_VERSION;
  if (raw.version !== undefined && !Number.isInteger(raw.version)) {
    problems.push(`settings.version: ${describeValue(raw.version)} is not a version number; reading as version ${SETTINGS_VERSION}`);
  }
  if (version > SETTINGS_VERSION) {
    problems.push(`settings.version: ${version} is newer than this Megane (${SETTINGS_VERSION}); reading what it can`);
    version = SETTINGS_VERSION;
  }
  while (version < SETTINGS_VERSION) {
    const step = MIGRATIONS[version];
    if (!step) {
      problems.push(`settings.version: no migration from ${version}; using defaults`);
      return { settings: defaults(), problems };
    }
    raw = step(raw);
    version += 1;
  }
  const settings = defaults();
  for (const key of Object.keys(CHECKS) as (keyof typeof CHECKS)[]) {
    if (!(key in raw)) continue;
    const value = raw[key];
    if ((CHECKS[key] as (v: unknown) => boolean)(value)) {
      (settings as unknown as Record<string, unknown>)[key] = value;
    } else {
      problems.push(`settings.${key}: ${describeValue(value)} is not valid; using the default ${JSON.stringify(DEFAULT_SETTINGS[key])}`);
    }
  }
  return { settings, problems };
}

export function defaults(): Settings {
  return { ...DEFAULT_SETTINGS, siteRules: {}, tags: {} };
}
