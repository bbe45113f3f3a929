// What the options page shows of marked images, as pure functions: the filters, the words for each
// mark, the order, and the names of the files it saves. The components only render these.
import { i18n } from '#i18n';
import { sortTags } from '../marks/apply-mark';
import type { Marks, MarkRecord } from '../marks/mark-types';
import { TAGS, tagLabel, type AnyTagId, type CustomTag } from '../tags/vocabulary';

export type MarkFilter = 'all' | 'liked' | 'disliked' | 'should-be-hidden' | 'should-be-shown';

export const MARK_FILTERS: readonly MarkFilter[] = ['all', 'liked', 'disliked', 'should-be-hidden', 'should-be-shown'];

export function isMarkFilter(value: unknown): value is MarkFilter {
  return MARK_FILTERS.some((f) => f === value);
}

/** The filter as the "Show" menu names it. */
export function markFilterLabel(filter: MarkFilter): string {
  switch (filter) {
    case 'all':
      return i18n.t('options.marks.filters.all');
    case 'liked':
      return i18n.t('options.marks.filters.liked');
    case 'disliked':
      return i18n.t('options.marks.filters.disliked');
    case 'should-be-hidden':
      return i18n.t('options.marks.filters.hidden');
    case 'should-be-shown':
      return i18n.t('options.marks.filters.shown');
  }
}

/** Whether the record passes the mark filter and, when `tag` is given, has that tag. */
export function matchesFilter(record: MarkRecord, filter: MarkFilter, tag: AnyTagId | null): boolean {
  const { marks } = record;
  if (tag !== null && !marks.tags.includes(tag)) return false;
  switch (filter) {
    case 'all':
      return true;
    case 'liked':
      return marks.like;
    case 'disliked':
      return marks.dislike;
    case 'should-be-hidden':
      return marks.verdict === 'hide';
    case 'should-be-shown':
      return marks.verdict === 'show';
  }
}

/** The marks as one attribute value for tests and e2e: "like", "dislike", "hide"/"show", then "tag:<id>"s. */
export function marksKey(marks: Marks): string {
  const parts: string[] = [];
  if (marks.like) parts.push('like');
  if (marks.dislike) parts.push('dislike');
  if (marks.verdict) parts.push(marks.verdict);
  for (const tag of marks.tags) parts.push(`tag:${tag}`);
  return parts.join(',');
}

export interface MarkChip {
  key: string;
  label: string;
  /** Set for a tag, which the card can remove on its own. */
  tag?: AnyTagId;
}

/** The marks as words, in the order marksKey lists them. */
export function markChips(marks: Marks, custom: readonly CustomTag[] = []): MarkChip[] {
  const chips: MarkChip[] = [];
  if (marks.like) chips.push({ key: 'like', label: i18n.t('options.card.liked') });
  if (marks.dislike) chips.push({ key: 'dislike', label: i18n.t('options.card.disliked') });
  if (marks.verdict === 'hide') chips.push({ key: 'hide', label: i18n.t('options.card.hide') });
  if (marks.verdict === 'show') chips.push({ key: 'show', label: i18n.t('options.card.show') });
  for (const tag of marks.tags) chips.push({ key: `tag:${tag}`, label: tagLabel(tag, custom), tag });
  return chips;
}

/** Tags that can be put on an image by hand (like and dislike are the rating) and it does not have yet. */
export function addableTags(marks: Marks, custom: readonly CustomTag[] = []): AnyTagId[] {
  const all: AnyTagId[] = [...TAGS.filter((t) => t.id !== 'like' && t.id !== 'dislike').map((t) => t.id), ...custom.map((t) => t.id)];
  return all.filter((id) => !marks.tags.includes(id));
}

/** The tags found on any of the records, vocabulary first, then user tags (for the tag filter). */
export function tagsIn(records: readonly MarkRecord[]): AnyTagId[] {
  return sortTags(records.flatMap((r) => r.marks.tags));
}

/** Most recently changed first; equal times by URL, so the order is stable. */
export function newestFirst(records: readonly MarkRecord[]): MarkRecord[] {
  return [...records].sort((a, b) => b.updatedAt - a.updatedAt || (a.url < b.url ? -1 : a.url > b.url ? 1 : 0));
}

/** The host of the page the image was marked on, or the page address itself if it is not a URL. */
export function pageHost(pageUrl: string): string {
  try {
    return new URL(pageUrl).host || pageUrl;
  } catch {
    return pageUrl;
  }
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The local calendar date, YYYY-MM-DD. */
export function isoDate(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** megane-dataset-YYYY-MM-DD.zip, dated in the user's time zone. */
export function datasetFileName(date: Date): string {
  return `megane-dataset-${isoDate(date)}.zip`;
}

export const SETTINGS_FILE_NAME = 'megane-settings.json';

/** Bytes as megabytes (10^6) with one decimal, "0.1 MB" at the least for anything above zero. */
export function formatMegabytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes <= 0) return '0 MB';
  return `${Math.max(0.1, Math.round(bytes / 100_000) / 10).toFixed(1)} MB`;
}

/** "1 image", "3 images". */
export function imageCount(n: number): string {
  return i18n.t('options.imageCount', n);
}

/** "1 marked image", "3 marked images". */
export function markedImageCount(n: number): string {
  return i18n.t('options.markedImageCount', n);
}
