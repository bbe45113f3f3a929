// The one place that says what a mark action does to an image's marks. Pure, so the store, the
// context menu and the options page all agree.
import { TAG_IDS, isCustomTagId, type AnyTagId, type CustomTagId } from '../tags/vocabulary';
import type { MarkAction, MarkRecord, Marks } from './mark-types';

export function emptyMarks(): Marks {
  return { like: false, dislike: false, verdict: null, tags: [] };
}

/** A record of an image with no marks yet, nothing captured, made at `time`. */
export function blankRecord(url: string, pageUrl: string, time: number): MarkRecord {
  return {
    url,
    pageUrl,
    createdAt: time,
    updatedAt: time,
    marks: emptyMarks(),
    model: null,
    scores: null,
    embedding: null,
    faces: [],
    thumbnail: null,
    imageSize: null,
  };
}

/** True when the marks say nothing: such a record is not kept (see mark-store.ts). */
export function isEmpty(marks: Marks): boolean {
  return !marks.like && !marks.dislike && marks.verdict === null && marks.tags.length === 0;
}

/** The marks after `action`. Never changes `marks`; the result's tags are unique and in vocabulary order. */
export function applyMark(marks: Marks, action: MarkAction): Marks {
  const next: Marks = { ...marks, tags: sortTags(marks.tags) };
  switch (action.kind) {
    case 'like':
      return { ...next, like: !marks.like, dislike: marks.like ? marks.dislike : false };
    case 'dislike':
      return { ...next, dislike: !marks.dislike, like: marks.dislike ? marks.like : false };
    case 'clear-rating':
      return { ...next, like: false, dislike: false };
    case 'verdict':
      return { ...next, verdict: action.verdict };
    case 'tag':
      if (action.tag === 'like') return { ...next, like: action.on, dislike: action.on ? false : marks.dislike };
      if (action.tag === 'dislike') return { ...next, dislike: action.on, like: action.on ? false : marks.like };
      return {
        ...next,
        tags: sortTags(action.on ? [...next.tags, action.tag] : next.tags.filter((t) => t !== action.tag)),
      };
  }
}

/**
 * Unique tags in vocabulary order, then the user's own tags in id order, without 'like' and 'dislike'
 * (they are Marks.like and Marks.dislike).
 */
export function sortTags(tags: readonly AnyTagId[]): AnyTagId[] {
  const custom = [...new Set(tags.filter((t): t is CustomTagId => isCustomTagId(t)))].sort();
  return [...TAG_IDS.filter((id) => id !== 'like' && id !== 'dislike' && tags.includes(id)), ...custom];
}
