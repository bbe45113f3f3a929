// Renders the real options page into a linkedom document with WXT's fake browser as storage (and
// fake-indexeddb for the marks, which have their own tests in options-marks.test.ts).
import 'fake-indexeddb/auto';
import { h, render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { DEFAULT_SETTINGS } from '../../src/settings/schema';
import { loadSettings, saveSettings } from '../../src/settings/store';
import { Options, parseMinImageSize, siteOrder } from '../../src/ui/options';
import { SAVE_DELAY_MS } from '../../src/ui/use-settings';
import { createDom, until, wait, type Dom } from './preact-dom';

let dom: Dom;

async function openOptions() {
  await act(() => {
    render(h(Options, {}), dom.root);
  });
  await until(() => dom.document.querySelector('main[aria-busy]') === null);
}

/** The site rules as listed: "host: filtered|not filtered". */
const listedRules = () =>
  [...dom.document.querySelectorAll('#site-rules li')].map(
    (li) => `${li.getAttribute('data-host')}: ${li.querySelector('.host + span')?.textContent}`,
  );

async function addSite(text: string, mode: 'on' | 'off' = 'off') {
  await dom.fire(dom.$('#add-site'), 'input', { value: text });
  await dom.fire(dom.$('#add-site-mode'), 'change', { value: mode });
  await dom.fire(dom.$('form.add-site'), 'submit');
  await wait(20);
}

beforeEach(() => {
  fakeBrowser.reset();
  dom = createDom();
});

afterEach(async () => {
  await act(() => {
    render(null, dom.root);
  });
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('Options', () => {
  it('shows the stored choices', async () => {
    await saveSettings({ model: 'inception_v3', backend: 'wasm', onError: 'show', minImageSize: 64 });
    await openOptions();
    expect(dom.$<HTMLSelectElement>('#model').value).toBe('inception_v3');
    expect(dom.$('#model').querySelectorAll('option')).toHaveLength(3);
    expect(dom.text('#model option[value="inception_v3"]')).toBe('Inception v3 (largest, 21 MB)');
    expect(dom.$<HTMLSelectElement>('#backend').value).toBe('wasm');
    expect(dom.text('#backend-note')).toMatch(/real GPU/);
    expect(dom.isChecked('#on-error-show')).toBe(true);
    expect(dom.isChecked('#on-error-cover')).toBe(false);
    expect(dom.$<HTMLInputElement>('#min-image-size').value).toBe('64');
    expect(dom.$('#site-rules-empty')).toBeTruthy();
  });

  it('saves model, backend, cores and the error policy at once', async () => {
    await openOptions();
    expect(dom.$('#model-workers').querySelector('option[value="0"]')?.textContent).toMatch(/^Automatic \(\d\)$/);
    await dom.fire(dom.$('#model'), 'change', { value: 'mobilenet_v2' });
    await dom.fire(dom.$('#backend'), 'change', { value: 'cpu' });
    await dom.fire(dom.$('#model-workers'), 'change', { value: '3' });
    expect(dom.$('#keep-model').querySelector('option[selected]')?.textContent).toBe('5 minutes (default)');
    await dom.fire(dom.$('#keep-model'), 'change', { value: '60' });
    await dom.fire(dom.$('#on-error-show'), 'change', { checked: true });
    await wait(20);
    expect(await loadSettings()).toMatchObject({
      model: 'mobilenet_v2',
      backend: 'cpu',
      modelWorkers: 3,
      keepModelMinutes: 60,
      onError: 'show',
    });
  });

  it('saves a valid minimum size and refuses an invalid one', async () => {
    await openOptions();
    await dom.fire(dom.$('#min-image-size'), 'input', { value: '120' });
    await wait(SAVE_DELAY_MS + 50);
    expect((await loadSettings()).minImageSize).toBe(120);

    await dom.fire(dom.$('#min-image-size'), 'input', { value: '99999' });
    await wait(SAVE_DELAY_MS + 50);
    expect((await loadSettings()).minImageSize).toBe(120);
    expect(dom.$('#min-image-size').getAttribute('aria-invalid')).toBe('true');
    expect(dom.text('#min-image-size-hint')).toMatch(/whole number from 0 to 4096/);
  });

  it('adds, lists (parents first) and removes site rules', async () => {
    await openOptions();
    await addSite('https://www.Example.com/some/page');
    await addSite('example.com');
    await addSite('a.example.com', 'on');
    await addSite('other.org');
    expect(listedRules()).toEqual([
      'example.com: not filtered',
      'a.example.com: filtered',
      'www.example.com: not filtered',
      'other.org: not filtered',
    ]);
    expect((await loadSettings()).siteRules).toEqual({
      'www.example.com': false,
      'example.com': false,
      'a.example.com': true,
      'other.org': false,
    });

    const remove = dom.$('#site-rules li[data-host="example.com"] [data-testid="remove-site"]');
    await dom.fire(remove, 'click');
    await wait(20);
    expect(listedRules()).not.toContain('example.com: not filtered');
    expect(Object.keys((await loadSettings()).siteRules).sort()).toEqual(['a.example.com', 'other.org', 'www.example.com']);
  });

  it('rejects what is not a host and explains a rule that is not needed', async () => {
    await openOptions();
    await addSite('*.example.com');
    expect(dom.$('#add-site-message').className).toBe('error');
    expect(dom.text('#add-site-message')).toMatch(/Enter a site/);
    expect((await loadSettings()).siteRules).toEqual({});

    await addSite('example.com', 'on');
    expect(dom.text('#add-site-message')).toBe('example.com is already filtered; no rule needed.');
    expect((await loadSettings()).siteRules).toEqual({});
  });

  it('shows the tag list and saves a tag rule', async () => {
    await saveSettings({ tags: { face: { hide: true, threshold: 0.75 } } });
    await openOptions();
    expect(dom.text('#tags-heading')).toBe('Tags');
    expect(dom.isChecked('#tag-face-hide')).toBe(true);
    expect(dom.text('#tag-face-threshold-text')).toBe('≥ 75%');
    expect(dom.$('#tag-kemono-hide').hasAttribute('disabled')).toBe(true);

    await dom.fire(dom.$('#tag-dog-hide'), 'change', { checked: true });
    await wait(20);
    expect((await loadSettings()).tags).toEqual({ face: { hide: true, threshold: 0.75 }, dog: { hide: true } });

    await dom.fire(dom.$('#tag-face-threshold'), 'input', { value: '0.6' });
    await wait(SAVE_DELAY_MS + 50);
    expect((await loadSettings()).tags).toEqual({ face: { hide: true, threshold: 0.6 }, dog: { hide: true } });
  });

  it('saves "show tags on hover" at once', async () => {
    await openOptions();
    expect(dom.isChecked('#show-tags-on-hover')).toBe(false);
    await dom.fire(dom.$('#show-tags-on-hover'), 'change', { checked: true });
    await wait(20);
    expect((await loadSettings()).showTagsOnHover).toBe(true);

    await dom.fire(dom.$('#show-tags-on-hover'), 'change', { checked: false });
    await wait(20);
    expect((await loadSettings()).showTagsOnHover).toBe(false);
  });

  it('saves "check drawings on canvas" at once, off until the user turns it on', async () => {
    await openOptions();
    expect(dom.isChecked('#check-canvases')).toBe(false);
    await dom.fire(dom.$('#check-canvases'), 'change', { checked: true });
    await wait(20);
    expect((await loadSettings()).checkCanvases).toBe(true);

    await dom.fire(dom.$('#check-canvases'), 'change', { checked: false });
    await wait(20);
    expect((await loadSettings()).checkCanvases).toBe(false);
  });

  it('turns the detectors off and on; off, the tag list says the heads alone score those tags', async () => {
    await openOptions();
    expect(dom.isChecked('#use-detectors')).toBe(true);
    expect(dom.$('#use-detectors').getAttribute('aria-describedby')).toBe('use-detectors-note');
    expect(dom.$('#tag-food-note').textContent).toBe('drawings too; runs an object detector');
    expect(dom.$('#tag-cat-note').textContent).toBe('runs an object detector');
    await dom.fire(dom.$('#use-detectors'), 'change', { checked: false });
    await wait(20);
    expect((await loadSettings()).useDetectors).toBe(false);
    // Food has a head on the default model; cat has none, so with the detectors off it hides nothing.
    expect(dom.$('#tag-food-note').textContent).toBe('drawings and photos; no detector');
    expect(dom.$('#tag-cat-note').textContent).toBe('needs the detectors, which are off');

    await dom.fire(dom.$('#use-detectors'), 'change', { checked: true });
    await wait(20);
    expect((await loadSettings()).useDetectors).toBe(true);
  });

  it("adds the user's own tag, lists it with the personal tags, and removes it with its rule", async () => {
    await openOptions();
    await dom.fire(dom.$('#custom-tag-label'), 'input', { value: 'Rainbows' });
    await dom.fire(dom.$('form.custom-tag-add'), 'submit');
    await until(() => dom.document.querySelector('#tag-user-rainbows-hide') !== null);
    await wait(20);
    expect((await loadSettings()).customTags).toEqual([{ id: 'user:rainbows', label: 'Rainbows' }]);
    // Learned from feedback: off until the personal model has learned it.
    expect(dom.$('#tag-user-rainbows-hide').hasAttribute('disabled')).toBe(true);
    expect(dom.text('#tag-user-rainbows-note')).toBe('learns from your feedback');

    await dom.fire(dom.$('#custom-tag-label'), 'input', { value: 'rainbows' });
    await dom.fire(dom.$('form.custom-tag-add'), 'submit');
    expect(dom.text('#custom-tag-error')).toBe('You already have a tag "rainbows".');

    await saveSettings({ tags: { 'user:rainbows': { hide: true }, cat: { hide: true } } });
    await wait(20);
    await dom.fire(dom.$('#custom-tags li[data-tag="user:rainbows"] .custom-tag-remove'), 'click');
    await until(() => dom.document.querySelector('#tag-user-rainbows-hide') === null);
    await wait(20);
    const after = await loadSettings();
    expect(after.customTags).toEqual([]);
    expect(after.tags).toEqual({ cat: { hide: true } });
  });

  it('the mark buttons are on by default and can be switched off', async () => {
    await openOptions();
    expect(dom.isChecked('#show-mark-controls')).toBe(true);
    await dom.fire(dom.$('#show-mark-controls'), 'change', { checked: false });
    await wait(20);
    expect((await loadSettings()).showMarkControls).toBe(false);
  });

  it('resets everything after a confirmation', async () => {
    await saveSettings({
      enabled: false,
      nsfwThreshold: 0.2,
      siteRules: { 'example.com': false },
      tags: { cat: { hide: true } },
      showTagsOnHover: true,
    });
    await openOptions();
    await dom.fire(dom.$('#reset'), 'click');
    await dom.fire(dom.$('#reset-cancel'), 'click');
    expect((await loadSettings()).nsfwThreshold).toBe(0.2);

    await dom.fire(dom.$('#reset'), 'click');
    await dom.fire(dom.$('#reset-confirm'), 'click');
    await wait(20);
    expect(await loadSettings()).toEqual({ ...DEFAULT_SETTINGS, siteRules: {}, tags: {} });
    expect(dom.$('#site-rules-empty')).toBeTruthy();
    expect(dom.isChecked('#tag-cat-hide')).toBe(false);
    expect(dom.isChecked('#show-tags-on-hover')).toBe(false);
  });
});

describe('parseMinImageSize', () => {
  it.each([
    ['0', 0],
    ['48', 48],
    [' 200 ', 200],
    ['4096', 4096],
    ['4097', null],
    ['', null],
    ['-1', null],
    ['1.5', null],
    ['1e3', null],
    ['abc', null],
  ])('%j -> %j', (text, expected) => {
    expect(parseMinImageSize(text)).toBe(expected);
  });
});

describe('siteOrder', () => {
  it('puts sub-domains right after their parent', () => {
    const hosts = ['b.org', 'www.example.com', 'example.com', 'a.example.com', 'example.net', 'localhost'];
    expect(hosts.sort(siteOrder)).toEqual(['example.com', 'a.example.com', 'www.example.com', 'localhost', 'example.net', 'b.org']);
  });
});
