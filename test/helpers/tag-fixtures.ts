// Every labelled test image for the tag tests: the gallery and the tag photos (tags/labels.json), the
// object photos (objects/labels.json) and the drawn fixtures (drawn/labels.json). None is ever trained
// on (scripts/heads/train-heads.ts drops them by bytes, picture and source series).
import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { CONTENT_TAGS, type ContentTag } from '../../scripts/heads/labels';

export const FIXTURES_DIR = resolve(import.meta.dirname, '..', 'fixtures');
const LABEL_FILES = ['tags/labels.json', 'objects/labels.json', 'drawn/labels.json'];

export interface TagFixture {
  /** Path under test/fixtures, e.g. "drawn/drawing-girl-manga.png". */
  name: string;
  path: string;
  kind: 'photo' | 'drawing';
  /** true: shows it; false: does not; absent: not labelled (left out of that tag's figures). */
  labels: Partial<Record<ContentTag, boolean>>;
}

export function tagFixtures(): TagFixture[] {
  return LABEL_FILES.flatMap((labelFile) => {
    const dir = labelFile.split('/')[0] ?? '';
    const rows = JSON.parse(readFileSync(resolve(FIXTURES_DIR, labelFile), 'utf8')) as Array<{ file: string } & Record<string, unknown>>;
    return rows.map(({ file, ...rest }) => {
      const name = file.includes('/') ? file : `${dir}/${file}`;
      const labels: Partial<Record<ContentTag, boolean>> = {};
      for (const tag of CONTENT_TAGS) if (typeof rest[tag] === 'boolean') labels[tag] = rest[tag] as boolean;
      return { name, path: resolve(FIXTURES_DIR, name), kind: basename(name).startsWith('drawing-') ? 'drawing' : 'photo', labels };
    });
  });
}
