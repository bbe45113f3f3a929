// Pictures that change after their verdict with no mutation to show it (issue #10, item 7): the
// pointer (:hover), focus (:focus-within), the window's size and colour scheme (media queries), CSS
// animations, transitions and Web Animations, and CSSOM edits (insertRule, deleteRule, a rule's
// style, replaceSync, adoptedStyleSheets assigned or pushed to, a <style>'s text). recheck.html
// shows a coffee cup in every tile first; each case turns one into a cat. Megane hides "cat", so each
// must end covered, and no frame may paint a cat uncovered on the way. Real Chromium, the built
// extension, images from another origin.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchWithExtension, startDemoServer, type DemoServer, type ExtensionBrowser } from './helpers';
import { patchSettings } from './helpers/extension';
import { meganeStates } from './helpers/megane-world';
import { BEFORE_EACH_PAINT } from './helpers/observe';

/** What the sampler saw of one element (by id) before each paint. */
interface Sighting {
  /** Frames in which it painted a cat uncovered, or any image uncovered without a verdict. */
  flashes: number;
  covered: number;
  state: string | null;
  firstFlash?: { at: number; state: string | null; src: string };
}

/**
 * Records, just before each paint, what every tile paints and whether it is blurred: a ResizeObserver
 * callback (after style, layout and every animation-frame callback, Megane's included) on a probe
 * whose width flips each frame, as observe.ts's sampler does.
 */
const SAMPLER = `(() => {
${BEFORE_EACH_PAINT}
  const seen = (window.__recheckSeen = {});
  const sample = () => {
    for (const el of document.querySelectorAll('.tile[id]')) {
      const style = getComputedStyle(el);
      const src = style.backgroundImage;
      if (!src.includes('url(')) continue;
      const state = el.getAttribute('data-megane');
      const record = (seen[el.id] ??= { flashes: 0, covered: 0, state: null });
      if (style.filter.includes('blur')) record.covered++;
      else if (state !== 'shown' || src.includes('photo-cat')) {
        record.flashes++;
        record.firstFlash ??= { at: Math.round(performance.now()), state, src: src.slice(-40) };
      }
      record.state = state;
    }
  };
  beforeEachPaint(sample);
})();`;

let browser: ExtensionBrowser;
let server: DemoServer;
let page: Page;

const stateOf = async (id: string) => (await meganeStates(page, [id]))[id];

/** Waits for the tile's coffee cup to be checked and shown, does `act`, and waits for the cat to be hidden. */
async function turnsIntoHiddenCat(id: string, act: () => Promise<unknown>): Promise<void> {
  await expect.poll(() => stateOf(id), { timeout: 90_000, message: `${id} first shown` }).toBe('shown');
  await act();
  await expect.poll(() => stateOf(id), { timeout: 60_000, message: `${id} hidden` }).toBe('hidden');
}

/** The sampler saw no cat (nor any unchecked image) painted uncovered; `endsCovered`: and it is blurred now. */
async function expectNoCatUncovered(id: string, endsCovered = true): Promise<void> {
  const seen = await page.evaluate((key) => (window as unknown as { __recheckSeen: Record<string, Sighting> }).__recheckSeen[key], id);
  expect(seen, `${id} was never sampled`).toBeDefined();
  expect(seen?.flashes, `${id} painted a cat or an unchecked image uncovered: ${JSON.stringify(seen)}`).toBe(0);
  expect(seen?.covered, `${id} was never covered`).toBeGreaterThan(0);
  if (endsCovered) expect(await page.locator(`#${id}`).evaluate((el) => getComputedStyle(el).filter)).toContain('blur');
}

/** Calls one of recheck.html's page scripts in the page's own world. */
const demo = (name: string) =>
  page.evaluate((n) => (window as unknown as { meganeDemo: Record<string, () => void> }).meganeDemo[n]?.(), name);

beforeAll(async () => {
  server = await startDemoServer();
  browser = await launchWithExtension();
  await patchSettings(browser.serviceWorker, { tags: { cat: { hide: true } } });
  page = await browser.context.newPage();
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.addInitScript(SAMPLER);
  await page.goto(`${server.pageOrigin}/recheck.html`);
  await page.mouse.move(1270, 890);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('user action pseudo-classes', () => {
  it('covers a background :hover gives, with a real pointer, and shows the cup again when it leaves', async () => {
    const box = await page.locator('#hover-card').boundingBox();
    if (!box) throw new Error('no #hover-card');
    await turnsIntoHiddenCat('hover-bg', () => page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 4 }));
    await page.mouse.move(1270, 890, { steps: 4 });
    await expect.poll(() => stateOf('hover-bg'), { timeout: 30_000 }).toBe('shown');
    await expectNoCatUncovered('hover-bg', false);
  });

  it('covers a background :focus-within gives', async () => {
    await turnsIntoHiddenCat('focus-bg', () => page.focus('#focus-input'));
    await expectNoCatUncovered('focus-bg');
  });
});

describe('media queries', () => {
  it('covers a background a breakpoint gives after a resize', async () => {
    await turnsIntoHiddenCat('media-bg', () => page.setViewportSize({ width: 600, height: 900 }));
    await expectNoCatUncovered('media-bg');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('covers a background a dark colour scheme gives', async () => {
    await turnsIntoHiddenCat('scheme-bg', () => page.emulateMedia({ colorScheme: 'dark' }));
    await expectNoCatUncovered('scheme-bg');
  });
});

describe('animations', () => {
  it('covers a CSS animation whose keyframes switch to a cat half-way', async () => {
    await turnsIntoHiddenCat('anim-bg', () => demo('animate'));
    await expectNoCatUncovered('anim-bg');
  });

  it('covers a discrete transition to a cat', async () => {
    await turnsIntoHiddenCat('trans-bg', () => demo('transition'));
    await expectNoCatUncovered('trans-bg');
  });

  it('covers a Web Animation (element.animate) to a cat', async () => {
    await turnsIntoHiddenCat('waapi-bg', () => demo('waapi'));
    await expectNoCatUncovered('waapi-bg');
  });
});

describe('CSSOM', () => {
  const CASES = [
    ['cssom-insert', 'insertRule'],
    ['cssom-delete', 'deleteRule'],
    ['cssom-rule', 'ruleStyle'],
    ['cssom-replace', 'replaceSync'],
    ['cssom-adopt', 'adopt'],
    ['cssom-push', 'adoptPush'],
    ['style-text', 'styleText'],
  ] as const;
  for (const [id, call] of CASES) {
    it(`covers a background ${call} gives`, async () => {
      await turnsIntoHiddenCat(id, () => demo(call));
      await expectNoCatUncovered(id);
    });
  }
});
