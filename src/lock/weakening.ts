// The one definition of a change that weakens the filter, which the lock holds back: anything after
// which some image could be shown that was covered before. Strengthening or neutral changes (a lower
// threshold, a new hidden tag, another model) never need the PIN.
import { i18n } from '#i18n';
import type { Settings } from '../settings/schema';
import { isPaused } from '../settings/pause';
import { matchingRule } from '../settings/site-rules';
import { timeText } from '../util/time-text';
import { isTagId, tagLabel, tagSpec, type AnyTagId } from '../tags/vocabulary';
import { percent } from '../util/percent';

export type Weakening =
  | { kind: 'off' }
  | { kind: 'pause'; until: number }
  | { kind: 'site'; host: string }
  | { kind: 'threshold'; from: number; to: number }
  | { kind: 'tag-off'; tag: AnyTagId }
  | { kind: 'tag-threshold'; tag: AnyTagId; from: number; to: number }
  | { kind: 'show-failed' }
  | { kind: 'min-size'; from: number; to: number }
  | { kind: 'canvases-off' }
  | { kind: 'detectors-off' }
  | { kind: 'model-source' };

type Checked = Pick<
  Settings,
  | 'enabled'
  | 'siteRules'
  | 'nsfwThreshold'
  | 'tags'
  | 'onError'
  | 'minImageSize'
  | 'checkCanvases'
  | 'useDetectors'
  | 'pausedUntil'
  | 'trainedModel'
  | 'tagSources'
>;

const tagDefault = (tag: AnyTagId) => (isTagId(tag) ? tagSpec(tag).defaultThreshold : 0.5);
const filtered = (host: string, rules: Settings['siteRules']) => matchingRule(host, rules)?.on ?? true;

/** What going from `before` to `after` weakens, in the order a person would care: empty when nothing. */
export function weakenings(before: Checked, after: Checked, now = Date.now()): Weakening[] {
  const out: Weakening[] = [];
  if (before.enabled && !after.enabled) out.push({ kind: 'off' });
  // A pause that starts, or one that is made longer.
  if (isPaused(after, now) && after.pausedUntil > before.pausedUntil) out.push({ kind: 'pause', until: after.pausedUntil });
  const hosts = new Set([...Object.keys(before.siteRules), ...Object.keys(after.siteRules)]);
  for (const host of [...hosts].sort())
    if (filtered(host, before.siteRules) && !filtered(host, after.siteRules)) out.push({ kind: 'site', host });
  if (after.nsfwThreshold > before.nsfwThreshold) out.push({ kind: 'threshold', from: before.nsfwThreshold, to: after.nsfwThreshold });
  const tags = new Set([...Object.keys(before.tags), ...Object.keys(after.tags)] as AnyTagId[]);
  for (const tag of tags) {
    const was = before.tags[tag];
    const now = after.tags[tag];
    if (!was?.hide) continue;
    if (!now?.hide) out.push({ kind: 'tag-off', tag });
    else {
      const from = was.threshold ?? tagDefault(tag);
      const to = now.threshold ?? tagDefault(tag);
      if (to > from) out.push({ kind: 'tag-threshold', tag, from, to });
    }
  }
  if (before.onError === 'cover' && after.onError === 'show') out.push({ kind: 'show-failed' });
  if (after.minImageSize > before.minImageSize) out.push({ kind: 'min-size', from: before.minImageSize, to: after.minImageSize });
  if (before.checkCanvases && !after.checkCanvases) out.push({ kind: 'canvases-off' });
  // The heads alone find fewer photographed cats, faces and dishes than with their detectors.
  if (before.useDetectors && !after.useDetectors) out.push({ kind: 'detectors-off' });
  // Another model deciding tags (or none) can hide less; which way it goes depends on images not seen
  // yet, so the lock treats it as weakening.
  if (before.trainedModel !== after.trainedModel || JSON.stringify(before.tagSources) !== JSON.stringify(after.tagSources))
    out.push({ kind: 'model-source' });
  return out;
}

/** One weakening in words, for the lock's prompt and the list of changes waiting for their cool-down. */
export function weakeningText(w: Weakening, customTags: Settings['customTags'] = []): string {
  switch (w.kind) {
    case 'off':
      return i18n.t('lock.change.off');
    case 'pause':
      return i18n.t('lock.change.pause', [timeText(w.until)]);
    case 'site':
      return i18n.t('lock.change.site', [w.host]);
    case 'threshold':
      return i18n.t('lock.change.threshold', [percent(w.from), percent(w.to)]);
    case 'tag-off':
      return i18n.t('lock.change.tagOff', [tagLabel(w.tag, customTags)]);
    case 'tag-threshold':
      return i18n.t('lock.change.tagThreshold', [tagLabel(w.tag, customTags), percent(w.from), percent(w.to)]);
    case 'show-failed':
      return i18n.t('lock.change.showFailed');
    case 'min-size':
      return i18n.t('lock.change.minSize', [String(w.from), String(w.to)]);
    case 'canvases-off':
      return i18n.t('lock.change.canvasesOff');
    case 'detectors-off':
      return i18n.t('lock.change.detectorsOff');
    case 'model-source':
      return i18n.t('lock.change.modelSource');
  }
}

/**
 * What a held or queued change does, a line each: what it weakens, or removing the lock (a change
 * whose patch is null).
 */
export function changeTexts(change: { patch: unknown; changes: readonly Weakening[] }, customTags: Settings['customTags'] = []): string[] {
  return change.patch === null ? [i18n.t('lock.change.unlock')] : change.changes.map((w) => weakeningText(w, customTags));
}
