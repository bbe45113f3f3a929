// What a dataset import will change, counted before anything is written, so the options page can say
// it and apply only what the user confirms: another person's "should be shown" verdicts would otherwise
// uncover images here without a word.
import { i18n } from '#i18n';
import { withCustomTags, type CustomTag } from '../tags/vocabulary';
import type { ImportResult } from './dataset-zip';

export interface ImportPreview {
  /** Marked images in the file. */
  images: number;
  /** Of those, images this browser has marked already: the file's marks replace theirs. */
  replacing: number;
  liked: number;
  disliked: number;
  /** Verdicts: "should be hidden" (always hidden here) and "should be shown" (always shown here). */
  hide: number;
  show: number;
  /** Images with at least one tag. */
  tagged: number;
  /** The file's own tags that are not in the settings yet and will be added to them. */
  newTags: CustomTag[];
  /** The file's own tags that do not fit (there is a maximum). */
  droppedTags: number;
}

export function previewImport(result: ImportResult, markedUrls: ReadonlySet<string>, customTags: readonly CustomTag[]): ImportPreview {
  const { records } = result;
  const count = (test: (r: (typeof records)[number]) => boolean) => records.filter(test).length;
  const merged = withCustomTags(customTags, result.customTags);
  const had = new Set(customTags.map((t) => t.id));
  return {
    images: records.length,
    replacing: count((r) => markedUrls.has(r.url)),
    liked: count((r) => r.marks.like),
    disliked: count((r) => r.marks.dislike),
    hide: count((r) => r.marks.verdict === 'hide'),
    show: count((r) => r.marks.verdict === 'show'),
    tagged: count((r) => r.marks.tags.length > 0),
    newTags: merged.customTags.filter((t) => !had.has(t.id)),
    droppedTags: merged.dropped,
  };
}

/** The preview as the sentences the options page shows, most important first; none is empty. */
export function previewLines(preview: ImportPreview): string[] {
  const number = (n: number) => n.toLocaleString('en');
  const images = (n: number) => i18n.t('options.imageCount', n, [number(n)]);
  const lines = [
    preview.replacing > 0
      ? i18n.t('options.preview.replacing', [images(preview.images), number(preview.replacing)])
      : images(preview.images),
  ];
  if (preview.show > 0) lines.push(i18n.t('options.preview.shown', [images(preview.show)]));
  if (preview.hide > 0) lines.push(i18n.t('options.preview.hidden', [images(preview.hide)]));
  if (preview.liked + preview.disliked > 0) lines.push(i18n.t('options.preview.rated', [number(preview.liked), number(preview.disliked)]));
  if (preview.tagged > 0) lines.push(i18n.t('options.preview.tagged', [images(preview.tagged)]));
  if (preview.newTags.length > 0) {
    const names = preview.newTags.map((t) => i18n.t('options.preview.quoted', [t.label])).join(i18n.t('options.listSeparator'));
    lines.push(i18n.t('options.preview.addsTags', preview.newTags.length, [preview.newTags.length, names]));
  }
  if (preview.droppedTags > 0) lines.push(i18n.t('options.preview.droppedTags', [number(preview.droppedTags)]));
  return lines;
}
