import { describe, expect, it } from 'vitest';
import { MAX_CUSTOM_TAGS, type CustomTag } from '../tags/vocabulary';
import { blankRecord, emptyMarks } from './apply-mark';
import type { ImportResult } from './dataset-zip';
import { previewImport, previewLines } from './import-preview';
import type { MarkRecord, Marks } from './mark-types';

const mark = (url: string, marks: Partial<Marks>): MarkRecord => ({
  ...blankRecord(url, 'https://example.com/', 1),
  marks: { ...emptyMarks(), ...marks },
});

const tag = (id: string, label: string) => ({ id, label }) as CustomTag;
const file = (records: MarkRecord[], customTags: CustomTag[] = []): ImportResult => ({ records, customTags, problems: [] });

describe('previewImport', () => {
  it('counts images, replaced ones, ratings, verdicts, tagged images and new tags', () => {
    const contents = file(
      [
        mark('a', { like: true, verdict: 'show' }),
        mark('b', { dislike: true, verdict: 'hide', tags: ['cat'] }),
        mark('c', { verdict: 'show', tags: ['user:mine' as never] }),
      ],
      [tag('user:mine', 'Mine'), tag('user:old', 'Old')],
    );
    const preview = previewImport(contents, new Set(['b', 'z']), [tag('user:old', 'Old')]);
    expect(preview).toEqual({
      images: 3,
      replacing: 1,
      liked: 1,
      disliked: 1,
      hide: 1,
      show: 2,
      tagged: 2,
      newTags: [tag('user:mine', 'Mine')],
      droppedTags: 0,
    });
    expect(previewLines(preview)).toEqual([
      "3 images, 1 of them already marked here: the file's marks replace yours",
      '2 images marked "should be shown": always shown, whatever Megane finds in them',
      '1 image marked "should be hidden": always hidden',
      '1 liked, 1 disliked: your personal tags learn from them',
      '2 images with tags',
      'Settings: adds the tag "Mine"',
    ]);
  });

  it('says only the number of images when the file has no verdicts, ratings or tags', () => {
    const preview = previewImport(file([mark('a', { tags: [] })]), new Set(), []);
    expect(previewLines(preview)).toEqual(['1 image']);
  });

  it('says how many of its tags do not fit', () => {
    const full = Array.from({ length: MAX_CUSTOM_TAGS }, (_, i) => tag(`user:t${i}`, `T${i}`));
    const preview = previewImport(file([], [tag('user:new', 'New')]), new Set(), full);
    expect(preview.newTags).toEqual([]);
    expect(previewLines(preview)).toEqual(['0 images', "1 of the file's tags do not fit and are left out"]);
  });
});
