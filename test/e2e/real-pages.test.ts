// Pages built like saved copies of real news, shop and blog pages (scripts removed, every image answered
// by the demo server after 1.5 s, so Megane's cover can be seen before its verdicts): tried as a new
// user would, with Megane hiding "cat". No image paints before its verdict, only the one cat stays
// covered, the page's words stay readable while images are covered, and nothing on the page moves or
// resizes compared with the same page in a browser without Megane.
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChrome, runningAsRoot } from '../../scripts/find-chrome.mjs';
import { launchWithExtension, startDemoServer, type DemoServer, type ExtensionBrowser } from './helpers';
import { patchSettings } from './helpers/extension';
import { meganeStates } from './helpers/megane-world';
import { SAMPLER_SCRIPT, seenIn, waitForStates } from './helpers/observe';

interface RealPage {
  file: string;
  /** Elements (id, or a selector such as ':root') that show an image, and how each must end. */
  verdicts: Record<string, 'shown' | 'hidden'>;
}

const PAGES: RealPage[] = [
  {
    file: 'real-news.html',
    verdicts: {
      ':root': 'shown',
      'hero-img': 'shown',
      'teaser-rocket': 'shown',
      'teaser-meadow': 'shown',
      'teaser-cat': 'hidden',
      'story-img': 'shown',
    },
  },
  {
    file: 'real-shop.html',
    verdicts: Object.fromEntries([
      ['banner', 'shown'],
      ...[1, 3, 4, 5, 6, 7, 8].map((n) => [`p${n}-img`, 'shown']),
      ['p2-photo', 'shown'],
      ['more-1', 'shown'],
      ['more-2', 'shown'],
    ]),
  },
  {
    file: 'real-blog.html',
    verdicts: { 'html > body': 'shown', page: 'shown', 'post-header': 'shown', avatar: 'shown', 'owl-img': 'shown', 'map-object': 'shown' },
  },
];

interface Layout {
  /** Each element's box, by id (every element of these pages that matters has one). */
  boxes: Record<string, [number, number, number, number]>;
  /** Elements holding words whose text a filter or transparency on them or an ancestor would blur. */
  unreadable: string[];
}

/** The boxes of every element with an id, and which elements with words are not plainly readable. */
async function layoutOf(page: Page): Promise<Layout> {
  return page.evaluate(() => {
    const boxes: Record<string, [number, number, number, number]> = {};
    for (const el of document.querySelectorAll('body [id]')) {
      const r = el.getBoundingClientRect();
      boxes[el.id] = [r.x, r.y, r.width, r.height].map((n) => Math.round(n * 2) / 2) as [number, number, number, number];
    }
    const unreadable: string[] = [];
    for (const el of document.querySelectorAll('body [id]')) {
      const hasWords = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent?.trim());
      if (!hasWords) continue;
      for (let at: Element | null = el; at; at = at.parentElement) {
        const style = getComputedStyle(at);
        if (style.filter !== 'none' || Number(style.opacity) < 1) {
          unreadable.push(`${el.id} (${at.localName}${at.id ? `#${at.id}` : ''}: ${style.filter}, opacity ${style.opacity})`);
          break;
        }
      }
    }
    return { boxes, unreadable };
  });
}

let demo: DemoServer;
let browser: ExtensionBrowser;
let plain: Browser;

beforeAll(async () => {
  demo = await startDemoServer();
  browser = await launchWithExtension();
  await patchSettings(browser.serviceWorker, { tags: { cat: { hide: true } } });
  const { path } = findChrome();
  plain = await chromium.launch({ executablePath: path ?? undefined, headless: true, args: runningAsRoot() ? ['--no-sandbox'] : [] });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await plain?.close();
  await demo?.close();
});

/** Loads the page and reads its layout while the images are still on their way (1.5 s). */
async function openEarly(page: Page, file: string): Promise<Layout> {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`${demo.pageOrigin}/${file}`, { waitUntil: 'domcontentloaded' });
  await page.waitForTimeout(400);
  return layoutOf(page);
}

describe.each(PAGES)('$file', ({ file, verdicts }) => {
  let page: Page;
  let reference: Page;
  let early: Layout;
  let referenceEarly: Layout;

  beforeAll(async () => {
    reference = await plain.newPage();
    page = await browser.context.newPage();
    await page.addInitScript(SAMPLER_SCRIPT);
    [referenceEarly, early] = await Promise.all([openEarly(reference, file), openEarly(page, file)]);
  }, 60_000);

  afterAll(async () => {
    await page?.close();
    await reference?.close();
  });

  it('covers the images while they are checked without moving anything or blurring a word', async () => {
    const states = await meganeStates(page, Object.keys(verdicts));
    expect(Object.values(states).filter((s) => s === 'pending').length, JSON.stringify(states)).toBeGreaterThan(0);
    expect(early.unreadable).toEqual([]);
    expect(early.boxes).toEqual(referenceEarly.boxes);
  });

  it('ends with only the cat covered, no picture painted before its verdict, and the same layout', async () => {
    const settled = Object.fromEntries(Object.keys(verdicts).map((id) => [id, ['shown', 'hidden', 'nsfw', 'error']]));
    await waitForStates(page, settled, 90_000);
    expect(await meganeStates(page, Object.keys(verdicts))).toEqual(verdicts);
    const seen = await seenIn(page);
    const flashed = Object.entries(seen).filter(([, s]) => s.flashes > 0);
    expect(flashed.map(([key, s]) => `${key}: ${JSON.stringify(s.firstFlash)}`)).toEqual([]);
    await reference.waitForLoadState('load');
    const [late, referenceLate] = await Promise.all([layoutOf(page), layoutOf(reference)]);
    expect(late.unreadable).toEqual([]);
    expect(late.boxes).toEqual(referenceLate.boxes);
  }, 120_000);
});
