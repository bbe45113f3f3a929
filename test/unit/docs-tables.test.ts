// The benchmark numbers in the docs are rendered from the benches' JSON (scripts/docs-tables.ts): a doc
// whose generated section differs from what its JSON renders fails here, so prose and numbers cannot drift.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BENCHES,
  beginMarker,
  docFiles,
  fillGenerated,
  generatedSources,
  nestHeadings,
  renderSource,
  ROOT,
} from '../../scripts/docs-tables';

describe('generated doc sections', () => {
  const docs = docFiles().map((file) => ({ file, text: readFileSync(join(ROOT, file), 'utf8') }));

  it('docs/benchmark.md shows every bench', () => {
    const benchmark = docs.find((d) => d.file === 'docs/benchmark.md');
    expect(generatedSources(benchmark?.text ?? '')).toEqual(Object.keys(BENCHES));
  });

  it.each(docs.filter((d) => generatedSources(d.text).length > 0))(
    '$file matches its JSON (run `npm run docs` after a bench)',
    ({ text }) => {
      expect(text).toBe(fillGenerated(text, (source) => renderSource(source)));
    },
  );
});

describe('fillGenerated', () => {
  const section = (source: string, body: string) => [beginMarker(source), '', body, '', `<!-- end of generated ${source} -->`].join('\n');

  it.each([
    ['replaces a stale body', `intro\n${section('a.json', 'old')}\nafter`, `intro\n${section('a.json', 'A')}\nafter`],
    ['leaves a current body alone', section('a.json', 'A'), section('a.json', 'A')],
    [
      'fills two sections from their own sources',
      `${section('a.json', '')}\n${section('b.json', 'x')}`,
      `${section('a.json', 'A')}\n${section('b.json', 'B')}`,
    ],
    ['leaves text without markers alone', 'no tables here', 'no tables here'],
  ])('%s', (_, text, expected) => {
    expect(fillGenerated(text, (source) => source.slice(0, 1).toUpperCase())).toBe(expected);
  });

  it('nests a report under the doc heading it sits in', () => {
    const text = `# Doc\n### Speed\n${section('a.json', '')}`;
    expect(fillGenerated(text, () => '## Report\n### Part\ntext')).toBe(
      `# Doc\n### Speed\n${section('a.json', '#### Report\n##### Part\ntext')}`,
    );
  });

  it('refuses a section without its end marker', () => {
    expect(() => fillGenerated(`${beginMarker('a.json')}\nbody`, () => 'A')).toThrow(/no "<!-- end of generated a.json -->"/);
  });
});

describe('nestHeadings', () => {
  it.each([
    ['## A\n### B\ntext', 3, '### A\n#### B\ntext'],
    ['## A\n### B', 1, '# A\n## B'],
    ['no headings', 4, 'no headings'],
    ['### deep', 6, '###### deep'],
    ['# A\n###### F', 2, '## A\n###### F'],
  ])('%j at level %i', (markdown, level, expected) => {
    expect(nestHeadings(markdown, level)).toBe(expected);
  });
});
