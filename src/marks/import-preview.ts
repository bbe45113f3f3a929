// What a dataset import will change, counted before anything is written, so the options page can say
// it and apply only what the user confirms: another person's "should be shown" verdicts would otherwise
// uncover images here without a word.
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
  const images = (n: number) => `${n.toLocaleString('en')} ${n === 1 ? 'image' : 'images'}`;
  const lines = [
    preview.replacing > 0
      ? `${images(preview.images)}, ${preview.replacing.toLocaleString('en')} of them already marked here: the file's marks replace yours`
      : images(preview.images),
  ];
  if (preview.show > 0) lines.push(`${images(preview.show)} marked "should be shown": always shown, whatever Megane finds in them`);
  if (preview.hide > 0) lines.push(`${images(preview.hide)} marked "should be hidden": always hidden`);
  if (preview.liked + preview.disliked > 0) {
    lines.push(
      `${preview.liked.toLocaleString('en')} liked, ${preview.disliked.toLocaleString('en')} disliked: your personal tags learn from them`,
    );
  }
  if (preview.tagged > 0) lines.push(`${images(preview.tagged)} with tags`);
  if (preview.newTags.length > 0) {
    const names = preview.newTags.map((t) => `"${t.label}"`).join(', ');
    lines.push(`Settings: adds ${preview.newTags.length === 1 ? 'the tag' : `${preview.newTags.length} tags:`} ${names}`);
  }
  if (preview.droppedTags > 0) lines.push(`${preview.droppedTags.toLocaleString('en')} of the file's tags do not fit and are left out`);
  return lines;
}
