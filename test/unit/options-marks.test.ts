// The options page's marks, personal tags and data sections, rendered for real into a linkedom document
// with fake-indexeddb as the mark store and WXT's fake browser as storage and background.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { resolveObjectURL } from 'node:buffer';
import { h, render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { emptyMarks } from '../../src/marks/apply-mark';
import { exportDataset } from '../../src/marks/dataset-zip';
import { openMarkStore } from '../../src/marks/mark-store';
import type { MarkRecord } from '../../src/marks/mark-types';
import type { PersonalTagSummary } from '../../src/messaging/background-offscreen';
import { PERSONAL_STATUS_KEY, type PersonalStatuses } from '../../src/personal/personal-status';
import { SETTINGS_FILE_FORMAT } from '../../src/settings/settings-file';
import { loadSettings, saveSettings } from '../../src/settings/store';
import { MARKS_PAGE_SIZE } from '../../src/ui/marks-section';
import { Options } from '../../src/ui/options';
import { createDom, until, wait, type Dom } from './preact-dom';
import { failWritesAfter } from './full-disk';
import { zipBomb } from './zip-bomb';

let dom: Dom;
/** Messages the page sent to the background. */
let sent: { type?: string }[];
/** What the background answers "train-personal" with; tests replace it to hold the answer back. */
let trainAnswer: () => Promise<unknown>;
/** Every <a download> the page clicked. */
let downloads: { name: string; blob: Blob }[];

const jpeg = (n: number) => new Uint8Array([0xff, 0xd8, 0xff, 0xe0, n, n + 1, 0xff, 0xd9]);

function record(url: string, patch: Partial<MarkRecord> = {}): MarkRecord {
  return {
    url,
    pageUrl: 'https://gallery.example.com/page?id=1',
    createdAt: 1_717_000_000_000,
    updatedAt: 1_717_000_000_000,
    marks: emptyMarks(),
    model: { id: 'mobilenet_v2_mid', version: 'nsfwjs-4.3.0' },
    scores: { classes: [0.1, 0.05, 0.8, 0.03, 0.02], tags: { photo: 0.9 }, nsfw: 0.1 },
    embedding: new Float32Array([0.5, -1, 2]),
    faces: [],
    thumbnail: { type: 'image/jpeg', bytes: jpeg(1), width: 256, height: 192 },
    imageSize: { width: 1024, height: 768 },
    ...patch,
  };
}

const A = 'https://img.example.com/a.jpg';
const B = 'https://img.example.com/b.jpg';
const C = 'https://img.example.com/c.png';

/** Three images, B newest, then C, then A. */
const THREE: MarkRecord[] = [
  record(A, { marks: { ...emptyMarks(), like: true }, updatedAt: 1_717_000_000_000 }),
  record(B, {
    marks: { like: false, dislike: true, verdict: 'hide', tags: ['megane'] },
    updatedAt: 1_717_000_300_000,
    pageUrl: 'https://other.example.org/x',
  }),
  record(C, { marks: { ...emptyMarks(), verdict: 'show', tags: ['cat'] }, updatedAt: 1_717_000_200_000, thumbnail: null }),
];

async function withStore<T>(use: (store: Awaited<ReturnType<typeof openMarkStore>>) => Promise<T>): Promise<T> {
  const store = await openMarkStore();
  try {
    return await use(store);
  } finally {
    store.close();
  }
}
const seed = (records: readonly MarkRecord[]) => withStore(async (s) => void (await Promise.all(records.map((r) => s.put(r)))));
const stored = () => withStore((s) => s.all());
const storedMarks = async () => Object.fromEntries((await stored()).map((r) => [r.url, r.marks]));

const cards = () => [...dom.document.querySelectorAll('#marks-grid .mark-card')];
const card = (url: string) => dom.$(`.mark-card[data-url="${url}"]`);
const cardMarks = () =>
  cards().map((c) => `${c.getAttribute('data-url')?.replace('https://img.example.com/', '')} ${c.getAttribute('data-marks')}`);

/** Polls (flushing renders) until `check` stops throwing. */
async function eventually(check: () => unknown | Promise<unknown>, timeoutMs = 3000): Promise<void> {
  for (const start = Date.now(); ; await wait(10)) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() - start > timeoutMs) throw error;
    }
  }
}

async function openOptions(expectedCards: number) {
  await act(() => {
    render(h(Options, {}), dom.root);
  });
  await until(() => dom.document.querySelector('main[aria-busy]') === null && cards().length === expectedCards);
}

async function chooseFile(selector: string, file: File) {
  await dom.fire(dom.$(selector), 'change', { files: [file] });
}

/** Waits for the dataset's preview, then clicks its Import button. */
async function confirmImport() {
  await until(() => dom.document.querySelector('#import-dataset-confirm') !== null);
  await dom.fire(dom.$('#import-dataset-confirm'), 'click');
}

beforeEach(() => {
  fakeBrowser.reset();
  dom = createDom();
  // A fresh, empty IndexedDB for every test.
  vi.stubGlobal('indexedDB', new IDBFactory());
  vi.spyOn(fakeBrowser.runtime, 'getManifest').mockReturnValue({ manifest_version: 3, name: 'Megane', version: '1.2.3' });
  sent = [];
  trainAnswer = () => Promise.resolve(true);
  fakeBrowser.runtime.onMessage.addListener((message: unknown) => {
    const m = message as { type?: string };
    sent.push(m);
    return m.type === 'train-personal' ? trainAnswer() : Promise.resolve(true);
  });
  downloads = [];
  dom.document.addEventListener('click', (event) => {
    const link = event.target as HTMLAnchorElement;
    if (link.tagName !== 'A' || !link.hasAttribute('download')) return;
    const blob = resolveObjectURL(link.getAttribute('href') ?? '');
    if (blob) downloads.push({ name: link.getAttribute('download') ?? '', blob: blob as unknown as Blob });
  });
});

afterEach(async () => {
  await act(() => {
    render(null, dom.root);
  });
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('Your marks', () => {
  it('shows every marked image newest first, with its marks, and filters by mark and tag', async () => {
    const made: string[] = [];
    const revoked: string[] = [];
    const create = URL.createObjectURL.bind(URL);
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      const url = create(blob);
      made.push(url);
      return url;
    });
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation((url) => void revoked.push(url));
    await seed(THREE);
    await openOptions(3);

    expect(cardMarks()).toEqual(['b.jpg dislike,hide,tag:megane', 'c.png show,tag:cat', 'a.jpg like']);
    expect([...card(B).querySelectorAll('.mark-chip')].map((c) => c.textContent?.replace('×', '').trim())).toEqual([
      'Disliked',
      'Hide',
      'Glasses (megane)',
    ]);
    expect(card(B).querySelector('.mark-host')?.textContent).toBe('other.example.org');
    expect(card(B).querySelector('time')?.getAttribute('datetime')).toBe(new Date(1_717_000_300_000).toISOString());
    expect(card(B).querySelector('img')?.getAttribute('src')).toMatch(/^blob:/);
    expect(card(C).querySelector('img')).toBeNull();
    expect(card(C).querySelector('.no-thumbnail')?.textContent?.trim()).toBe('no thumbnail');
    expect(card(A).querySelector('.mark-like')?.getAttribute('aria-pressed')).toBe('true');
    expect(dom.text('#marks-count')).toBe('3 images');
    // One object URL per thumbnail shown (C has none).
    expect(made).toHaveLength(2);
    expect(revoked).toEqual([]);

    await dom.fire(dom.$('#marks-filter'), 'change', { value: 'liked' });
    expect(cardMarks()).toEqual(['a.jpg like']);
    await dom.fire(dom.$('#marks-filter'), 'change', { value: 'should-be-shown' });
    expect(cardMarks()).toEqual(['c.png show,tag:cat']);
    await dom.fire(dom.$('#marks-filter'), 'change', { value: 'should-be-hidden' });
    expect(cardMarks()).toEqual(['b.jpg dislike,hide,tag:megane']);
    await dom.fire(dom.$('#marks-filter'), 'change', { value: 'disliked' });
    expect(cardMarks()).toEqual(['b.jpg dislike,hide,tag:megane']);
    await dom.fire(dom.$('#marks-filter'), 'change', { value: 'liked' });
    await dom.fire(dom.$('#marks-tag-filter'), 'change', { value: 'cat' });
    expect(cards()).toHaveLength(0);
    expect(dom.text('#marks-empty')).toBe('No marked images match these filters.');

    await dom.fire(dom.$('#marks-filter'), 'change', { value: 'all' });
    expect(cardMarks()).toEqual(['c.png show,tag:cat']);
    // Only the tags some image has are offered.
    expect([...dom.document.querySelectorAll('#marks-tag-filter option')].map((o) => o.textContent?.trim())).toEqual([
      'Any tag',
      'Glasses (megane)',
      'Cat',
    ]);

    // Cards filtered away let go of their URLs, and the page lets go of the rest when it closes.
    await act(() => {
      render(null, dom.root);
    });
    expect(revoked.sort()).toEqual([...made].sort());
  });

  it('says when there is nothing yet', async () => {
    await openOptions(0);
    await until(() => dom.document.querySelector('#marks-empty') !== null);
    expect(dom.text('#marks-empty')).toBe('No marked images yet.');
  });

  it('shows marks made elsewhere when the user comes back to the page', async () => {
    await openOptions(0);
    await seed(THREE); // marked on web pages while the options page sat in a background tab
    await wait(50);
    expect(cards()).toHaveLength(0);
    Object.defineProperty(dom.document, 'visibilityState', { value: 'visible', configurable: true });
    await dom.fire(dom.document as unknown as Element, 'visibilitychange');
    await eventually(() => expect(cardMarks()).toEqual(['b.jpg dislike,hide,tag:megane', 'c.png show,tag:cat', 'a.jpg like']));
  });

  it('writes a card’s changes to the store and tells the background each time', async () => {
    await seed(THREE);
    await openOptions(3);

    await dom.fire(card(B).querySelector('.mark-like') as Element, 'click');
    await dom.fire(card(B).querySelector('.mark-verdict') as Element, 'change', { value: 'show' });
    await dom.fire(card(B).querySelector('.mark-add-tag') as Element, 'change', { value: 'comic' });
    await dom.fire(card(B).querySelector('.mark-chip[data-mark="tag:megane"] .chip-remove') as Element, 'click');
    expect(card(B).getAttribute('data-marks')).toBe('like,show,tag:comic');
    await eventually(async () =>
      expect((await storedMarks())[B]).toEqual({ like: true, dislike: false, verdict: 'show', tags: ['comic'] }),
    );
    // The card keeps its place while it is edited.
    expect(cardMarks()[0]).toBe('b.jpg like,show,tag:comic');
    expect(sent.filter((m) => m.type === 'marks-changed')).toHaveLength(4);

    // Taking back an image's only mark removes it, as the store does.
    await dom.fire(card(A).querySelector('.mark-like') as Element, 'click');
    await dom.fire(card(C).querySelector('.mark-delete') as Element, 'click');
    expect(cardMarks()).toEqual(['b.jpg like,show,tag:comic']);
    await eventually(async () => expect((await stored()).map((r) => r.url)).toEqual([B]));
    await eventually(() => expect(sent.filter((m) => m.type === 'marks-changed')).toHaveLength(6));
  });

  it(`shows ${MARKS_PAGE_SIZE} cards, then more on request`, async () => {
    const many = Array.from({ length: MARKS_PAGE_SIZE + 5 }, (_, i) =>
      record(`https://img.example.com/${String(i).padStart(3, '0')}.jpg`, {
        updatedAt: i,
        thumbnail: null,
        marks: { ...emptyMarks(), like: true },
      }),
    );
    await seed(many);
    await openOptions(MARKS_PAGE_SIZE);
    expect(dom.text('#marks-count')).toBe(`Showing ${MARKS_PAGE_SIZE} of ${MARKS_PAGE_SIZE + 5}`);
    expect(cards()[0]?.getAttribute('data-url')).toBe(`https://img.example.com/${MARKS_PAGE_SIZE + 4}.jpg`);
    expect(dom.text('#marks-more')).toBe('Show more (5 more)');
    await dom.fire(dom.$('#marks-more'), 'click');
    expect(cards()).toHaveLength(MARKS_PAGE_SIZE + 5);
    expect(dom.document.querySelector('#marks-more')).toBeNull();
  });
});

describe('Your data', () => {
  it('shows the storage used and the number of images', async () => {
    vi.stubGlobal('navigator', { storage: { estimate: () => Promise.resolve({ usage: 2_345_678, quota: 1e10 }) } });
    await seed(THREE);
    await openOptions(3);
    await eventually(() => expect(dom.text('#storage-used')).toBe('Stored on this computer: 2.3 MB used · 3 marked images'));
  });

  it('deletes everything only on the second click, and keeps the settings', async () => {
    await saveSettings({ nsfwThreshold: 0.3 });
    await fakeBrowser.storage.local.set({
      [PERSONAL_STATUS_KEY]: { mobilenet_v2_mid: { version: 5, examples: 3, stats: {}, finishedAt: 1 } },
    });
    await seed(THREE);
    await openOptions(3);

    await dom.fire(dom.$('#delete-all'), 'click');
    expect(dom.text('#delete-all')).toBe('Click again to delete everything');
    await dom.fire(dom.$('#delete-all-cancel'), 'click');
    expect(dom.text('#delete-all')).toBe('Delete all my data');
    await wait(20);
    expect(await stored()).toHaveLength(3);

    await dom.fire(dom.$('#delete-all'), 'click');
    await dom.fire(dom.$('#delete-all'), 'click');
    await until(() => cards().length === 0 && dom.text('#delete-all-result') !== '');
    expect(dom.text('#delete-all-result')).toMatch(/Settings are unchanged/);
    expect(await stored()).toEqual([]);
    expect(await fakeBrowser.storage.local.get(PERSONAL_STATUS_KEY)).toEqual({});
    expect((await loadSettings()).nsfwThreshold).toBe(0.3);
    expect(dom.text('#marks-empty')).toBe('No marked images yet.');
    expect(sent.some((m) => m.type === 'marks-changed')).toBe(true);
    // The statistics go too (the background clears them: its writes and the clear share one queue).
    expect(sent.some((m) => m.type === 'clear-stats')).toBe(true);
  });

  it('exports the marks as a dated ZIP that imports them back', async () => {
    await seed(THREE);
    await openOptions(3);
    await dom.fire(dom.$('#export-dataset'), 'click');
    await eventually(() => expect(downloads).toHaveLength(1));
    const [download] = downloads;
    expect(download?.name).toMatch(/^megane-dataset-\d{4}-\d{2}-\d{2}\.zip$/);
    const zip = new Uint8Array(await (download as { blob: Blob }).blob.arrayBuffer());

    await dom.fire(dom.$('#delete-all'), 'click');
    await dom.fire(dom.$('#delete-all'), 'click');
    await until(() => cards().length === 0);
    sent = [];

    await chooseFile('#import-dataset', new File([zip], 'mine.zip', { type: 'application/zip' }));
    await confirmImport();
    await until(() => cards().length === 3);
    expect(dom.text('#import-result')).toBe('Imported 3 images');
    expect(dom.$('#import-result').querySelector('details')).toBeNull();
    const byUrl = (rs: MarkRecord[]) => [...rs].sort((a, b) => (a.url < b.url ? -1 : 1));
    expect(byUrl(await stored())).toEqual(byUrl(THREE));
    expect(cardMarks()).toEqual(['b.jpg dislike,hide,tag:megane', 'c.png show,tag:cat', 'a.jpg like']);
    expect(sent.map((m) => m.type)).toContain('marks-changed');
  });

  it('imports a dataset over existing marks and lists what it skipped', async () => {
    await seed([record(A, { marks: { ...emptyMarks(), dislike: true } })]);
    await openOptions(1);
    const zip = exportDataset(
      [record(A, { marks: { ...emptyMarks(), like: true } }), record(B, { marks: { ...emptyMarks(), verdict: 'hide' } })],
      {
        exportedAt: 1,
        extensionVersion: '1',
      },
    );
    // A broken line after the two good ones.
    const { unzipSync, zipSync, strFromU8, strToU8 } = await import('fflate');
    const files = unzipSync(zip);
    files['manifest.jsonl'] = strToU8(`${strFromU8(files['manifest.jsonl'] as Uint8Array)}{not json\n`);
    await chooseFile('#import-dataset', new File([zipSync(files)], 'x.zip'));
    await until(() => dom.document.querySelector('#import-dataset-confirm') !== null);
    expect(dom.text('#import-result summary')).toBe('1 problem: left out or repaired');
    await confirmImport();
    await until(() => cards().length === 2);
    expect(dom.text('#import-result .import-summary')).toBe('Imported 2 images');
    expect(dom.text('#import-result summary')).toBe('1 problem');
    expect(dom.text('#import-result li')).toMatch(/manifest\.jsonl line 3: not valid JSON/);
    expect((await storedMarks())[A]).toEqual({ ...emptyMarks(), like: true });
  });

  it('shows what a dataset would change and applies nothing until the user confirms', async () => {
    await saveSettings({ customTags: [{ id: 'user:mine', label: 'Mine' }] });
    await seed([record(A, { marks: { ...emptyMarks(), dislike: true } })]);
    await openOptions(1);
    const zip = exportDataset(
      [
        record(A, { marks: { ...emptyMarks(), like: true, verdict: 'show' } }),
        record(B, { marks: { ...emptyMarks(), verdict: 'show', tags: ['user:theirs'] } }),
        record(C, { marks: { ...emptyMarks(), verdict: 'hide', dislike: true } }),
      ],
      { exportedAt: 1, extensionVersion: '1', customTags: [{ id: 'user:theirs', label: 'Theirs' }] },
    );
    await chooseFile('#import-dataset', new File([zip as Uint8Array<ArrayBuffer>], 'from-a-friend.zip'));
    await until(() => dom.document.querySelector('#import-dataset-confirm') !== null);
    expect(dom.text('#import-result .import-summary')).toBe(
      "from-a-friend.zip: 3 images, 1 of them already marked here: the file's marks replace yours. Nothing changes until you import.",
    );
    expect([...dom.document.querySelectorAll('#import-result .import-counts li')].map((li) => li.textContent)).toEqual([
      '2 images marked "should be shown": always shown, whatever Megane finds in them',
      '1 image marked "should be hidden": always hidden',
      '1 liked, 1 disliked: your personal tags learn from them',
      '1 image with tags',
      'Settings: adds the tag "Theirs"',
    ]);
    expect(dom.$<HTMLInputElement>('#import-dataset').disabled).toBe(true);
    await wait(50);
    expect(await storedMarks()).toEqual({ [A]: { ...emptyMarks(), dislike: true } });
    expect((await loadSettings()).customTags).toEqual([{ id: 'user:mine', label: 'Mine' }]);

    await dom.fire(dom.$('#import-dataset-cancel'), 'click');
    expect(dom.document.querySelector('#import-dataset-confirm')).toBeNull();
    expect(dom.$<HTMLInputElement>('#import-dataset').disabled).toBe(false);
    await wait(50);
    expect(await storedMarks()).toEqual({ [A]: { ...emptyMarks(), dislike: true } });
    expect(sent.filter((m) => m.type === 'marks-changed')).toHaveLength(0);

    await chooseFile('#import-dataset', new File([zip as Uint8Array<ArrayBuffer>], 'from-a-friend.zip'));
    await confirmImport();
    await until(() => cards().length === 3);
    expect(dom.text('#import-result .import-summary')).toBe('Imported 3 images');
    expect((await storedMarks())[B]).toEqual({ ...emptyMarks(), verdict: 'show', tags: ['user:theirs'] });
    expect((await loadSettings()).customTags).toEqual([
      { id: 'user:mine', label: 'Mine' },
      { id: 'user:theirs', label: 'Theirs' },
    ]);
  });

  it('refuses a ZIP bomb with the reason, and changes nothing', async () => {
    await seed(THREE);
    await openOptions(3);
    await chooseFile('#import-dataset', new File([await zipBomb(['manifest.jsonl'], 600_000_000)], 'big.zip'));
    await until(() => dom.$('#import-result').querySelector('.error') !== null);
    expect(dom.text('#import-result .error')).toMatch(
      /^Not imported: manifest\.jsonl unpacks to 600 MB, more than the 500 MB one file may\./,
    );
    expect(dom.document.querySelector('#import-dataset-confirm')).toBeNull();
    expect(await stored()).toHaveLength(3);
  });

  it('writes nothing when the disk is full, keeps every mark it had, and says so', async () => {
    await seed([record(A, { marks: { ...emptyMarks(), dislike: true } })]);
    await openOptions(1);
    const liked = { ...emptyMarks(), like: true };
    const zip = exportDataset([record(A, { marks: liked }), record(B, { marks: liked }), record(C, { marks: liked })], {
      exportedAt: 1,
      extensionVersion: '1',
    });
    await chooseFile('#import-dataset', new File([zip as Uint8Array<ArrayBuffer>], 'x.zip'));
    // The store has room for one more record: the third write fails as a full disk does.
    failWritesAfter(1);
    await confirmImport();
    await until(() => dom.$('#import-result').querySelector('.error') !== null);
    expect(dom.text('#import-result .error')).toMatch(/^Nothing was imported: .*The browser has no more room for Megane/);
    expect(await storedMarks()).toEqual({ [A]: { ...emptyMarks(), dislike: true } });
    expect(cardMarks()).toEqual(['a.jpg dislike']);
    expect(sent.filter((m) => m.type === 'marks-changed')).toHaveLength(0);
  });

  it('shows why a file that is not a dataset cannot be imported, and changes nothing', async () => {
    await seed(THREE);
    await openOptions(3);
    await chooseFile('#import-dataset', new File([new TextEncoder().encode('definitely not a zip')], 'cat.jpg'));
    await until(() => dom.$('#import-result').querySelector('.error') !== null);
    expect(dom.text('#import-result .error')).toMatch(/^Not a Megane dataset/);
    expect(dom.$('#import-result .error').getAttribute('role')).toBe('alert');
    expect(await stored()).toHaveLength(3);
    expect(cards()).toHaveLength(3);
    expect(sent.filter((m) => m.type === 'marks-changed')).toHaveLength(0);
  });

  it('exports the settings as a file and imports one, saying which values it could not use', async () => {
    await saveSettings({ nsfwThreshold: 0.35, siteRules: { 'example.com': false } });
    await openOptions(0);
    await dom.fire(dom.$('#export-settings'), 'click');
    await eventually(() => expect(downloads).toHaveLength(1));
    expect(downloads[0]?.name).toBe('megane-settings.json');
    const file = JSON.parse(await (downloads[0] as { blob: Blob }).blob.text());
    expect(file).toMatchObject({ format: SETTINGS_FILE_FORMAT, settings: { nsfwThreshold: 0.35, siteRules: { 'example.com': false } } });

    const edited = { ...file, settings: { ...file.settings, nsfwThreshold: 0.8, minImageSize: 'huge', enabled: false } };
    await chooseFile('#import-settings', new File([JSON.stringify(edited)], 'megane-settings.json'));
    // First what it would change, and nothing written.
    await until(() => dom.document.querySelector('#import-settings-confirm') !== null);
    expect(dom.text('#import-settings-result .import-summary')).toBe(
      'megane-settings.json: changes these settings. Nothing changes until you import.',
    );
    expect([...dom.document.querySelectorAll('#import-settings-result .import-counts li')].map((li) => li.textContent)).toEqual([
      'Turns Megane off: no image is covered',
      'NSFW threshold: 35% → 80%',
    ]);
    await dom.fire(dom.$('#import-settings-cancel'), 'click');
    await wait(20);
    expect((await loadSettings()).enabled).toBe(true);
    await chooseFile('#import-settings', new File([JSON.stringify(edited)], 'megane-settings.json'));
    await until(() => dom.document.querySelector('#import-settings-confirm') !== null);
    await dom.fire(dom.$('#import-settings-confirm'), 'click');
    await until(() => dom.$('#import-settings-result').querySelector('.import-summary') !== null);
    expect(dom.text('#import-settings-result .import-summary')).toBe('Settings imported');
    expect(dom.text('#import-settings-result summary')).toBe('One value was not usable and got the default');
    expect(dom.text('#import-settings-result li')).toMatch(/minImageSize/);
    const settings = await loadSettings();
    expect(settings.nsfwThreshold).toBe(0.8);
    expect(settings.enabled).toBe(false);
    expect(settings.siteRules).toEqual({ 'example.com': false });

    await chooseFile('#import-settings', new File(['{"format":"something-else"}'], 'other.json'));
    await until(() => dom.$('#import-settings-result').querySelector('.error') !== null);
    expect(dom.text('#import-settings-result .error')).toMatch(/^Not a Megane settings file/);
  });
});

describe('Personal tags', () => {
  const status = (stats: Record<string, PersonalTagSummary>): Record<string, PersonalStatuses> => ({
    [PERSONAL_STATUS_KEY]: { mobilenet_v2_mid: { version: 7, examples: 9, stats, finishedAt: Date.UTC(2026, 0, 2) } },
  });
  const row = (tag: string) => dom.$(`#personal-tags tr[data-tag="${tag}"]`);
  const cell = (tag: string, cls: string) => row(tag).querySelector(`.${cls}`)?.textContent?.trim();

  it('counts examples, explains each tag in words, follows training as it happens, and trains on request', async () => {
    // 2 liked, 7 disliked; one liked image from another model does not count.
    await seed([
      ...[0, 1].map((i) => record(`https://img.example.com/l${i}.jpg`, { marks: { ...emptyMarks(), like: true, tags: ['megane'] } })),
      ...[0, 1, 2, 3, 4, 5, 6].map((i) => record(`https://img.example.com/d${i}.jpg`, { marks: { ...emptyMarks(), dislike: true } })),
      record('https://img.example.com/other.jpg', { marks: { ...emptyMarks(), like: true }, model: { id: 'inception_v3', version: 'x' } }),
    ]);
    await openOptions(10);
    expect([...dom.document.querySelectorAll('#personal-tags tbody tr')].map((r) => r.getAttribute('data-tag'))).toContain('like');
    expect(cell('like', 'positives')).toBe('2');
    expect(cell('like', 'negatives')).toBe('7');
    expect(cell('like', 'status')).toBe('Not enough examples: needs at least 5 positive and 5 negative (has 2 / 7)');
    expect(cell('dislike', 'status')).toBe('Not enough examples: needs at least 5 positive and 5 negative (has 7 / 2)');
    expect(cell('megane', 'positives')).toBe('2');
    expect(dom.text('#personal-status')).toBe('Not trained yet.');

    // The background finishes a training: the table follows without a reload.
    await fakeBrowser.storage.local.set(
      status({
        like: { positives: 2, negatives: 7, heldOutAccuracy: 0.875, trusted: true, trained: true },
        dislike: {
          positives: 7,
          negatives: 2,
          heldOutAccuracy: 0.6,
          trusted: false,
          trained: true,
          reason: 'held-out accuracy 60% is below 75%',
        },
      }),
    );
    await eventually(() => expect(cell('like', 'status')).toBe('Learned — 88% right on held-out images'));
    expect(cell('like', 'accuracy')).toBe('88%');
    expect(row('like').getAttribute('data-trusted')).toBe('true');
    expect(cell('dislike', 'status')).toBe('Learned, but not reliable yet: held-out accuracy 60% is below 75%');
    expect(dom.text('#personal-status')).toMatch(/^Last trained .* from 9 images\.$/);

    let finish: (value: unknown) => void = () => undefined;
    trainAnswer = () => new Promise((resolve) => (finish = resolve));
    await dom.fire(dom.$('#train-now'), 'click');
    await eventually(() => expect(sent.map((m) => m.type)).toContain('train-personal'));
    expect(dom.text('#train-now')).toBe('Training…');
    expect(dom.$('#train-now').hasAttribute('disabled')).toBe(true);
    await act(() => finish(true));
    await eventually(() => expect(dom.text('#train-now')).toBe('Train now'));
  });
});
