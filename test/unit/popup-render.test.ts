// Renders the real Popup into a linkedom document with WXT's fake browser standing in for storage,
// tabs and the background, and fake-indexeddb for the imported trained models.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { h, render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import type { PopupStatus } from '../../src/messaging/popup-background';
import { SETTINGS_KEY } from '../../src/settings/schema';
import { loadSettings, saveSettings } from '../../src/settings/store';
import { TAGS, tagSpec } from '../../src/tags/vocabulary';
import { parseMeganeModel } from '../../src/train/megane-model';
import { saveTrainedModel } from '../../src/trained/trained-model-store';
import { Popup } from '../../src/ui/popup';
import { withTagRule } from '../../src/ui/tag-view';
import { SAVE_DELAY_MS } from '../../src/ui/use-settings';
import { createDom, until, wait, type Dom } from './preact-dom';

/** Food's default threshold, read from the vocabulary so tuning it does not break these tests. */
const FOOD_DEFAULT = tagSpec('food').defaultThreshold;

const STATUS: PopupStatus = {
  model: {
    model: 'mobilenet_v2_mid',
    state: 'ready',
    backend: 'webgl',
    reason: 'GPU found',
    detectors: { faces: { state: 'idle' }, objects: { state: 'idle' } },
  },
  tab: { checked: 12, covered: 3, failed: 1, pending: 0 },
};

let dom: Dom;
let requests: unknown[];
const $ = <T extends Element = HTMLElement>(selector: string) => dom.$<T>(selector);
const text = (selector: string) => dom.text(selector);
const isChecked = (selector: string) => dom.isChecked(selector);
const fire = (el: Element, type: string, state?: Record<string, unknown>) => dom.fire(el, type, state);
const isDisabled = (selector: string) => $(selector).hasAttribute('disabled');

/** Opens the popup on a tab showing `url`; the background answers with `status` (null: no answer). */
async function openPopup(url: string, status: PopupStatus | null = STATUS) {
  const tab = await fakeBrowser.tabs.create({ url });
  // The fake browser cannot make a tab active, so name it the way e2e tests do: popup.html?tabId=N.
  vi.stubGlobal('location', new URL(`chrome-extension://megane/popup.html?tabId=${tab.id}`));
  fakeBrowser.runtime.onMessage.addListener((message: unknown) => {
    requests.push(message);
    return Promise.resolve(status ?? undefined);
  });
  await act(() => {
    render(h(Popup, {}), dom.root);
  });
  // Wait for the tab lookup and the first status request, then for its answer to render.
  await until(() => requests.length > 0);
  await wait(50);
}

beforeEach(() => {
  fakeBrowser.reset();
  vi.stubGlobal('indexedDB', new IDBFactory());
  requests = [];
  dom = createDom();
});

afterEach(async () => {
  await act(() => {
    render(null, dom.root);
  });
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('Popup', () => {
  it('shows the settings, the site, the tab counts and the model', async () => {
    await saveSettings({ nsfwThreshold: 0.55 });
    await openPopup('https://www.example.com/gallery');

    expect(text('h1')).toBe('Megane');
    expect(isChecked('#enabled')).toBe(true);
    expect(isChecked('#site-enabled')).toBe(true);
    expect(text('#site-host')).toBe('www.example.com');
    expect($<HTMLInputElement>('#nsfw-threshold').getAttribute('value')).toBe('0.55');
    expect(text('.threshold-caption')).toBe('Cover when NSFW score ≥ 55%');
    expect(text('#stat-checked')).toBe('12');
    expect(text('#stat-covered')).toBe('3');
    expect(text('#stat-failed')).toBe('1');
    expect($('#model-state').getAttribute('data-state')).toBe('ready');
    expect(text('#model-state')).toBe('ready');
    expect(text('#model-backend')).toBe('Backend: webgl (GPU found)');
    expect(requests[0]).toEqual({ channel: 'popup->background', type: 'get-status', tabId: Number(location.search.slice(7)) });
  });

  it('turns filtering off for the site, leaving one rule', async () => {
    await openPopup('https://www.example.com/');
    await fire($('#site-enabled'), 'change', { checked: false });
    await wait(20);
    expect((await loadSettings()).siteRules).toEqual({ 'www.example.com': false });
    expect(isChecked('#site-enabled')).toBe(false);

    await fire($('#site-enabled'), 'change', { checked: true });
    await wait(20);
    expect((await loadSettings()).siteRules).toEqual({});
  });

  it('says when a parent domain rule decides the site, and can override it', async () => {
    await saveSettings({ siteRules: { 'example.com': false } });
    await openPopup('https://www.example.com/');
    expect(isChecked('#site-enabled')).toBe(false);
    expect(text('#site-note')).toContain('because of the rule for example.com');

    await fire($('#site-enabled'), 'change', { checked: true });
    await wait(20);
    expect((await loadSettings()).siteRules).toEqual({ 'example.com': false, 'www.example.com': true });
  });

  it('writes the slider once, after the user pauses', async () => {
    await openPopup('https://www.example.com/');
    const set = vi.spyOn(fakeBrowser.storage.local, 'set');
    for (const value of ['0.6', '0.5', '0.4']) await fire($('#nsfw-threshold'), 'input', { value });
    expect(text('.threshold-caption')).toBe('Cover when NSFW score ≥ 40%');
    expect(set).not.toHaveBeenCalled();

    await wait(SAVE_DELAY_MS + 50);
    expect(set).toHaveBeenCalledTimes(1);
    expect((await loadSettings()).nsfwThreshold).toBe(0.4);
  });

  it('writes the slider at once when it is released', async () => {
    await openPopup('https://www.example.com/');
    await fire($('#nsfw-threshold'), 'input', { value: '0.3' });
    await fire($('#nsfw-threshold'), 'change', {});
    await wait(10);
    expect((await loadSettings()).nsfwThreshold).toBe(0.3);
  });

  it('the master switch writes at once and follows changes made elsewhere', async () => {
    await openPopup('https://www.example.com/');
    await fire($('#enabled'), 'change', { checked: false });
    await wait(10);
    expect((await loadSettings()).enabled).toBe(false);

    await act(async () => {
      await saveSettings({ enabled: true, nsfwThreshold: 0.2 }); // e.g. from the options page
    });
    expect(isChecked('#enabled')).toBe(true);
    expect(text('.threshold-caption')).toBe('Cover when NSFW score ≥ 20%');
  });

  it('keeps asking the background while open', async () => {
    const status = structuredClone(STATUS);
    await openPopup('https://www.example.com/', status);
    status.tab = { checked: 40, covered: 7, failed: 2, pending: 5 };
    status.model.state = 'failed';
    status.model.error = 'WebGL context lost';
    await until(() => text('#stat-checked') === '40');
    expect(text('#stat-pending')).toBe('5 waiting to be checked');
    expect(text('#model-state')).toBe('failed: WebGL context lost');
  });

  it('opens the options page', async () => {
    const open = vi.spyOn(fakeBrowser.runtime, 'openOptionsPage').mockResolvedValue(undefined);
    await openPopup('https://www.example.com/');
    await fire($('#open-options'), 'click');
    expect(open).toHaveBeenCalledOnce();
  });

  it.each([
    ['file:///home/me/pics.html', /Local files/, true],
    ['chrome://extensions/', /browser or extension pages/, false],
  ])('disables the site switch on %s and says why', async (url, why, filtered) => {
    await openPopup(url, { ...STATUS, tab: null });
    expect($('#site-enabled').hasAttribute('disabled')).toBe(true);
    expect(isChecked('#site-enabled')).toBe(filtered);
    expect(text('#site-note')).toMatch(why);
    expect(text('#stat-checked')).toBe('–');
  });

  it('survives a background that does not answer yet', async () => {
    await openPopup('https://www.example.com/', null);
    expect($('#model-state').getAttribute('data-state')).toBe('unknown');
    expect(text('#model-backend')).toBe('Backend: –');
    expect(text('#stat-checked')).toBe('–');
  });

  it('stores nothing it was not asked to', async () => {
    await openPopup('https://www.example.com/');
    await wait(SAVE_DELAY_MS + 50);
    expect((await fakeBrowser.storage.local.get(SETTINGS_KEY))[SETTINGS_KEY]).toBeUndefined();
  });
});

/** Opens the popup and its "Add a rule…", which lists every tag. */
async function openAllTags(url: string) {
  await openPopup(url);
  await fire($('#all-tags'), 'click');
}

describe('Popup: hide by tag', () => {
  it('lists every tag under its group, in vocabulary order, NSFW pointing at the slider', async () => {
    await openAllTags('https://www.example.com/');
    expect($('#all-tags').getAttribute('aria-expanded')).toBe('true');
    const groups = [...dom.document.querySelectorAll('.tag-group')].map((g) => [
      g.querySelector('h3')?.textContent,
      [...g.querySelectorAll('.tag-row')].map((row) => row.getAttribute('data-tag')),
    ]);
    expect(groups).toEqual([
      ['Content', ['original_art', 'nsfw', 'photo', 'illust', 'comic']],
      ['People', ['face', 'girl', 'megane', 'school_uniform', 'blazer_uniform', 'sailor_uniform', 'boy']],
      ['Animals & food', ['cat', 'dog', 'food']],
      ['Personal', ['like', 'gl', 'kemono', 'bl', 'dislike']],
    ]);
    expect(text('.tag-row[data-tag="nsfw"]')).toBe('NSFW≥ 70%set by the slider above');
    expect(dom.document.querySelector('#tag-nsfw-hide')).toBeNull();
    expect(text('label[for="tag-cat-hide"]')).toBe('Cat');
    expect(dom.document.querySelector('#tag-cat-hide')?.getAttribute('aria-label')).toBe('Hide Cat');
    expect(text('#tag-count')).toBe('none on');
  });

  it('says which tags run a detector', async () => {
    await openAllTags('https://www.example.com/');
    // Face and food have a head on the default model (drawings too); girl has its detector alone.
    expect(text('#tag-face-note')).toBe('drawings too; runs a face detector');
    expect(text('#tag-girl-note')).toBe('runs a face detector and a gender model');
    expect(text('#tag-food-note')).toBe('drawings too; runs an object detector');
    expect(dom.document.querySelector('#tag-photo-note')).toBeNull();
    expect($('#tag-face-hide').getAttribute('aria-describedby')).toBe('tag-face-note');
  });

  it('the hide switch writes at once, and switching it off leaves no rule', async () => {
    await openAllTags('https://www.example.com/');
    expect(isChecked('#tag-cat-hide')).toBe(false);
    expect(isDisabled('#tag-cat-threshold')).toBe(true);

    await fire($('#tag-cat-hide'), 'change', { checked: true });
    await wait(20);
    expect((await loadSettings()).tags).toEqual({ cat: { hide: true } });
    expect(isDisabled('#tag-cat-threshold')).toBe(false);
    expect(text('#tag-count')).toBe('1 on');

    await fire($('#tag-cat-hide'), 'change', { checked: false });
    await wait(20);
    expect((await loadSettings()).tags).toEqual({});
  });

  it('keeps the other rules when one changes', async () => {
    await saveSettings({ tags: { dog: { hide: true, threshold: 0.8 } } });
    await openAllTags('https://www.example.com/');
    expect(isChecked('#tag-dog-hide')).toBe(true);
    expect($('#tag-dog-threshold').getAttribute('value')).toBe('0.8');
    expect(text('#tag-dog-threshold-text')).toBe('≥ 80%');

    await fire($('#tag-face-hide'), 'change', { checked: true });
    await wait(20);
    expect((await loadSettings()).tags).toEqual({ dog: { hide: true, threshold: 0.8 }, face: { hide: true } });
  });

  it('writes a threshold once, after the user pauses', async () => {
    await saveSettings({ tags: { food: { hide: true } } });
    await openAllTags('https://www.example.com/');
    expect(text('#tag-food-threshold-text')).toBe(`≥ ${Math.round(FOOD_DEFAULT * 100)}%`);
    const set = vi.spyOn(fakeBrowser.storage.local, 'set');
    for (const value of ['0.45', '0.5', '0.55']) await fire($('#tag-food-threshold'), 'input', { value });
    expect(text('#tag-food-threshold-text')).toBe('≥ 55%');
    expect($('#tag-food-threshold').getAttribute('aria-valuetext')).toBe('55%');
    expect(set).not.toHaveBeenCalled();

    await wait(SAVE_DELAY_MS + 50);
    expect(set).toHaveBeenCalledTimes(1);
    expect((await loadSettings()).tags).toEqual({ food: { hide: true, threshold: 0.55 } });
  });

  it('writes a threshold at once when it is released, and forgets one back at the default', async () => {
    await saveSettings({ tags: { food: { hide: true, threshold: 0.6 } } });
    await openAllTags('https://www.example.com/');
    await fire($('#tag-food-threshold'), 'input', { value: String(FOOD_DEFAULT) });
    await fire($('#tag-food-threshold'), 'change', {});
    await wait(10);
    expect((await loadSettings()).tags).toEqual({ food: { hide: true } });
  });

  it('a switch flipped while a threshold waits keeps both', async () => {
    await saveSettings({ tags: { food: { hide: true } } });
    await openAllTags('https://www.example.com/');
    await fire($('#tag-food-threshold'), 'input', { value: '0.25' });
    await fire($('#tag-cat-hide'), 'change', { checked: true });
    await wait(SAVE_DELAY_MS + 50);
    expect((await loadSettings()).tags).toEqual({ food: { hide: true, threshold: 0.25 }, cat: { hide: true } });
  });

  it('disables the tags that learn from feedback', async () => {
    await openAllTags('https://www.example.com/');
    const feedback = TAGS.filter((t) => t.source === 'feedback');
    expect(feedback.map((t) => t.id)).toContain('megane');
    for (const { id } of feedback) {
      expect(isDisabled(`#tag-${id}-hide`)).toBe(true);
      expect(isDisabled(`#tag-${id}-threshold`)).toBe(true);
      expect(text(`#tag-${id}-note`)).toBe('learns from your feedback');
    }
    for (const id of ['photo', 'face', 'girl', 'cat'] as const) expect(isDisabled(`#tag-${id}-hide`)).toBe(false);
  });

  it('enables a feedback tag once the personal model learned it, and says how well', async () => {
    const summary = (trained: boolean, trusted: boolean, heldOutAccuracy: number | null) => ({
      positives: 8,
      negatives: 20,
      heldOutAccuracy,
      trusted,
      trained,
    });
    await fakeBrowser.storage.local.set({
      personalStatus: {
        mobilenet_v2_mid: {
          version: 1234,
          examples: 28,
          finishedAt: 1234,
          stats: { dislike: summary(true, true, 0.875), megane: summary(true, false, 0.6), comic: summary(false, false, null) },
        },
        // Another model's training says nothing about the model in use.
        inception_v3: { version: 99, examples: 28, finishedAt: 99, stats: { kemono: summary(true, true, 1) } },
      },
    });
    await openAllTags('https://www.example.com/');
    await until(() => !isDisabled('#tag-dislike-hide'));
    expect(text('#tag-dislike-note')).toBe('learned from your marks (88% right on held-out images)');
    expect(isDisabled('#tag-megane-hide')).toBe(false);
    expect(text('#tag-megane-note')).toBe('learned from your marks, not reliable yet');
    expect(isDisabled('#tag-comic-hide')).toBe(true);
    expect(isDisabled('#tag-kemono-hide')).toBe(true);
    fire($('#tag-dislike-hide'), 'change', { checked: true });
    await expect
      .poll(
        async () =>
          ((await fakeBrowser.storage.local.get('settings')).settings as { tags?: Record<string, unknown> } | undefined)?.tags?.dislike,
      )
      .toEqual({ hide: true });
  });

  it('enables a feedback tag the imported trained model scores, and names the model', async () => {
    const descriptor = parseMeganeModel({
      format: 'megane-model',
      version: 1,
      name: 'my model3',
      architecture: 'model3',
      modelFile: 'model.json',
      inputSize: 64,
      preprocessing: { resize: 'stretch', scale: '1/255', channels: 'RGB' },
      tags: ['megane', 'photo'],
      output: 'logits',
      trainedAt: 1767225600000,
      dataset: { images: 40, train: 32, validation: 8 },
      metrics: {},
    });
    const saved = await saveTrainedModel(descriptor, { modelTopology: {}, weightSpecs: [], weightData: new ArrayBuffer(8) });
    await saveSettings({ trainedModel: saved.id });
    await openAllTags('https://www.example.com/');
    await until(() => !isDisabled('#tag-megane-hide'));
    expect(text('#tag-megane-note')).toBe('scored by your trained model (my model3)');
    // Megane decides photo unless the user picks the trained model; kemono nobody scores yet.
    expect(dom.document.querySelector('#tag-photo-note')).toBeNull();
    expect(isDisabled('#tag-kemono-hide')).toBe(true);
    expect(text('#tag-kemono-note')).toBe('learns from your feedback');
    // Choosing the trained model for photo (options page) says so here too.
    await saveSettings({ tagSources: { photo: 'trained' } });
    await until(() => dom.document.querySelector('#tag-photo-note')?.textContent === 'scored by your trained model (my model3)');
  });

  it('shows only the rules that are on until "Add a rule…" opens every tag, and closes again', async () => {
    await openPopup('https://www.example.com/');
    expect(dom.document.querySelector('#tag-list')).toBeNull();
    expect(text('#all-tags')).toBe('Add a rule…');
    expect($('#all-tags').getAttribute('aria-expanded')).toBe('false');
    await fire($('#all-tags'), 'click');
    await fire($('#tag-cat-hide'), 'change', { checked: true });
    await fire($('#tag-face-hide'), 'change', { checked: true });
    await wait(20);
    expect(text('#all-tags')).toBe('Show only the rules that are on');
    await fire($('#all-tags'), 'click');
    const rows = [...dom.document.querySelectorAll('.tag-row')].map((row) => row.getAttribute('data-tag'));
    expect(rows).toEqual(['face', 'cat']);
    expect(text('#tag-count')).toBe('2 on');
    // Switched off in the short list, a rule leaves it at once.
    await fire($('#tag-cat-hide'), 'change', { checked: false });
    await wait(20);
    expect([...dom.document.querySelectorAll('.tag-row')].map((row) => row.getAttribute('data-tag'))).toEqual(['face']);
  });
});

describe('Popup: detectors', () => {
  it('shows each detector as not loaded while no tag needs it', async () => {
    await openPopup('https://www.example.com/');
    expect($('#detector-faces-state').getAttribute('data-state')).toBe('idle');
    expect($('#detector-objects-state').getAttribute('data-state')).toBe('idle');
    expect(text('#detector-faces-state')).toBe('not loaded');
    expect($('#detector-faces-state').parentElement?.textContent).toBe('Face detector: not loaded');
    expect($('#detector-objects-state').parentElement?.textContent).toBe('Object detector: not loaded');
  });

  it('follows the detectors as they load and fail', async () => {
    const status = structuredClone(STATUS);
    await openPopup('https://www.example.com/', status);
    status.model.detectors = { faces: { state: 'loading' }, objects: { state: 'failed', error: 'no WebGL' } };
    await until(() => $('#detector-faces-state').getAttribute('data-state') === 'loading');
    expect(text('#detector-faces-state')).toBe('loading…');
    expect($('#detector-objects-state').getAttribute('data-state')).toBe('failed');
    expect(text('#detector-objects-state')).toBe('failed: no WebGL');

    status.model.detectors.faces = { state: 'ready' };
    await until(() => $('#detector-faces-state').getAttribute('data-state') === 'ready');
    expect(text('#detector-faces-state')).toBe('ready');
  });

  it('says unknown before the background answers, or when it does not report detectors', async () => {
    await openPopup('https://www.example.com/', null);
    expect($('#detector-faces-state').getAttribute('data-state')).toBe('unknown');
    expect(text('#detector-objects-state')).toBe('unknown');
  });

  it('copes with an older background that has no detectors in its status', async () => {
    const { detectors: _detectors, ...model } = STATUS.model;
    // What an older service worker sends: the popup's status check does not require `detectors`.
    await openPopup('https://www.example.com/', { ...STATUS, model } as unknown as PopupStatus);
    expect($('#model-state').getAttribute('data-state')).toBe('ready');
    expect($('#detector-faces-state').getAttribute('data-state')).toBe('unknown');
  });
});

describe('withTagRule', () => {
  const cat = tagSpec('cat');
  it.each([
    ['adds a hide rule', {}, { hide: true }, { cat: { hide: true } }],
    ['keeps a custom threshold', {}, { hide: true, threshold: 0.7 }, { cat: { hide: true, threshold: 0.7 } }],
    ['keeps a custom threshold with hide off', {}, { hide: false, threshold: 0.7 }, { cat: { hide: false, threshold: 0.7 } }],
    ['drops the default threshold', {}, { hide: true, threshold: cat.defaultThreshold }, { cat: { hide: true } }],
    ['drops a rule that says nothing', { cat: { hide: true } }, { hide: false }, {}],
    ['drops a rule at the default', { cat: { hide: true } }, { hide: false, threshold: cat.defaultThreshold }, {}],
    ['leaves the others', { dog: { hide: true } }, { hide: true }, { dog: { hide: true }, cat: { hide: true } }],
  ] as const)('%s', (_name, tags, rule, expected) => {
    expect(withTagRule(tags, cat, rule)).toEqual(expected);
  });

  it('never writes a rule for nsfw', () => {
    expect(withTagRule({}, tagSpec('nsfw'), { hide: true, threshold: 0.2 })).toEqual({});
  });
});

describe('access to websites (Firefox lets the user withdraw it)', () => {
  it('says nothing while Megane has it', async () => {
    vi.spyOn(fakeBrowser.permissions, 'contains').mockResolvedValue(true);
    await openPopup('https://example.com/');
    expect(dom.root.querySelector('[data-testid="host-access"]')).toBeNull();
  });

  it('says so at the top when it is gone, asks the browser again on a click, and says when it was refused', async () => {
    vi.spyOn(fakeBrowser.permissions, 'contains').mockResolvedValue(false);
    const request = vi.spyOn(fakeBrowser.permissions, 'request').mockResolvedValue(false);
    await openPopup('https://example.com/');
    await until(() => dom.root.querySelector('[data-testid="host-access"]') !== null);
    expect(text('[data-testid="host-access"] p')).toMatch(/no access to websites/);
    await fire($('#ask-host-access'), 'click');
    expect(request).toHaveBeenCalledWith({ origins: ['<all_urls>'] });
    await until(() => (text('[data-testid="host-access"]') ?? '').includes('Access was not given'));
  });
});
