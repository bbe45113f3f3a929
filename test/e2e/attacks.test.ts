// No page can undo the cover (issue #10, item 9): a page script that fires WXT's content-script-started
// event, clicks or hovers with synthetic events, sets, copies or removes Megane's state attribute,
// morphs the DOM, or writes CSS at any strength, leaves a covered image covered. Real Chromium, the
// built extension, "cat" hidden as the stand-in for NSFW: the cat photos must stay covered, the coffee
// cup shown. What the page does runs in the page's own world (page.evaluate, addInitScript).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchWithExtension, startDemoServer, type DemoServer, type ExtensionBrowser } from './helpers';
import { patchSettings } from './helpers/extension';
import { labelText, meganeStates } from './helpers/megane-world';
import { SAMPLER_SCRIPT, filterOf, seenIn, waitForStates } from './helpers/observe';

let browser: ExtensionBrowser;
let server: DemoServer;

const ATTACK_PAGE = '/attack.html';
/**
 * Two cat photos (one as a CSS background) and a coffee cup, all from the image origin; with `?slow`
 * the first cat arrives after 2 s, so a page script can act before it is checked.
 */
const pageHtml = (images: string, slow: boolean) => `<!doctype html>
<meta charset="utf-8"><title>attacks</title>
<style>img, .bg { display: inline-block; width: 240px; height: 180px; margin: 4px; } .bg { background-size: cover; }</style>
<img id="cat" src="${images}/${slow ? 'slow/photo-cat-tabby.jpg?ms=2000' : 'photo-cat-tabby.jpg'}" alt="">
<img id="cup" src="${images}/photo-coffee-cup.jpg" alt="">
<div id="bg-cat" class="bg" style="background-image: url(${images}/photo-cat-chelsea.jpg)"></div>
`;

const CHECKED = { cat: 'hidden', cup: 'safe', 'bg-cat': 'hidden' };

async function openAttackPage(options: { initScript?: string; slow?: boolean } = {}): Promise<Page> {
  const page = await browser.context.newPage();
  await page.addInitScript(SAMPLER_SCRIPT);
  if (options.initScript) await page.addInitScript(options.initScript);
  await page.goto(`${server.pageOrigin}${ATTACK_PAGE}${options.slow ? '?slow' : ''}`, { waitUntil: 'domcontentloaded' });
  return page;
}

/** Lets the page paint a few frames. */
const frames = (page: Page, n = 5) =>
  page.evaluate(
    (count) =>
      new Promise<void>((resolve) => {
        let left = count;
        const step = () => (--left <= 0 ? resolve() : requestAnimationFrame(step));
        requestAnimationFrame(step);
      }),
    n,
  );

const blurred = async (page: Page, selector: string) => (await filterOf(page, selector)).includes('blur');

/** Frames in which the sampler saw the element unblurred (whatever Megane's attribute said). */
const visibleFrames = async (page: Page, id: string) => (await seenIn(page))[id]?.visible ?? 0;

/** What a page learns from WXT: the name of the event that makes a content script stop. */
const abortScript = (extensionId: string) => `(() => {
  const type = '${extensionId}:content:wxt:content-script-started';
  window.__meganeAbort = () => {
    document.dispatchEvent(new CustomEvent(type, { detail: { contentScriptName: 'content', messageId: 'page' } }));
    window.postMessage({ type, contentScriptName: 'content', messageId: 'page' }, '*');
  };
  window.__meganeAbort();
  document.addEventListener('DOMContentLoaded', () => window.__meganeAbort());
})();`;

beforeAll(async () => {
  server = await startDemoServer();
  browser = await launchWithExtension();
  await browser.context.route(`${server.pageOrigin}${ATTACK_PAGE}*`, (route) =>
    route.fulfill({
      status: 200,
      contentType: 'text/html; charset=utf-8',
      body: pageHtml(server.imageOrigin, new URL(route.request().url()).searchParams.has('slow')),
    }),
  );
  await patchSettings(browser.serviceWorker, { tags: { cat: { hide: true } } });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('a page cannot undo the cover', () => {
  it("WXT's content-script-started event, before and after the checks, switches nothing off", async () => {
    const page = await openAttackPage({ initScript: abortScript(browser.extensionId), slow: true });
    const abort = () => page.evaluate(() => (window as unknown as { __meganeAbort: () => void }).__meganeAbort());
    // Before the slow cat is checked, then after every image is.
    await abort();
    expect((await meganeStates(page, ['cat'])).cat).not.toBe('hidden');
    await waitForStates(page, CHECKED, 150_000);
    await abort();
    await frames(page);
    expect(await blurred(page, '#cat')).toBe(true);
    expect(await blurred(page, '#bg-cat')).toBe(true);
    expect(await blurred(page, '#cup')).toBe(false);
    // Never a frame with a cat uncovered, nor an image shown before its check.
    expect(await visibleFrames(page, 'cat')).toBe(0);
    expect(await visibleFrames(page, 'bg-cat')).toBe(0);
    for (const [id, seen] of Object.entries(await seenIn(page))) expect(seen.flashes, id).toBe(0);

    // The scanner still runs: images added after the event are checked.
    await page.evaluate((images) => {
      for (const [id, file] of [
        ['late-cat', 'photo-cat-chelsea.jpg'],
        ['late-cup', 'photo-coffee-cup.jpg'],
      ]) {
        const img = document.createElement('img');
        img.id = id as string;
        img.src = `${images}/${file}?late`;
        document.body.append(img);
      }
    }, server.imageOrigin);
    await waitForStates(page, { 'late-cat': 'hidden', 'late-cup': 'safe' }, 150_000);
    expect(await blurred(page, '#late-cat')).toBe(true);
    expect(await blurred(page, '#late-cup')).toBe(false);
    expect(await visibleFrames(page, 'late-cat')).toBe(0);
    await page.close();
  }, 300_000);

  it('synthetic clicks and pointer events reveal nothing and open no controls; a real click reveals', async () => {
    const page = await openAttackPage();
    await waitForStates(page, CHECKED, 150_000);
    await page.evaluate(() => {
      const cat = document.getElementById('cat') as HTMLElement;
      cat.click();
      cat.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true, cancelable: true }));
      cat.dispatchEvent(new PointerEvent('pointerover', { bubbles: true, composed: true }));
      // The label's button, while its shadow root is reachable from the page.
      const button = document.querySelector('megane-labels')?.shadowRoot?.querySelector('button');
      button?.click();
    });
    await frames(page);
    expect(await blurred(page, '#cat')).toBe(true);
    expect(await page.evaluate(() => document.querySelector('megane-controls') !== null)).toBe(false);
    expect(await visibleFrames(page, 'cat')).toBe(0);

    const box = await page.locator('#cat').boundingBox();
    if (!box) throw new Error('#cat is not laid out');
    // A corner, away from the label: the click lands on the image itself.
    await page.mouse.click(box.x + 10, box.y + 10);
    await expect.poll(() => blurred(page, '#cat'), { timeout: 5_000 }).toBe(false);
    await page.close();
  }, 300_000);

  it('state attributes the page sets, copies, removes or morphs away are put back before the next paint', async () => {
    const page = await openAttackPage();
    await waitForStates(page, CHECKED, 150_000);
    const attacks: [string, string][] = [
      ['copy', `cat.setAttribute('data-megane', cup.getAttribute('data-megane'))`],
      ['copy to background', `bg.setAttribute('data-megane', cup.getAttribute('data-megane'))`],
      ['remove', `cat.removeAttribute('data-megane')`],
      ['remove from background', `bg.removeAttribute('data-megane')`],
      [
        'every known state',
        `for (const s of ['shown', 'safe', 'skip', 'revealed', 'error-shown']) { cat.setAttribute('data-megane', s); bg.setAttribute('data-megane', s); }`,
      ],
      [
        // A framework re-rendering a long list: the new elements carry what the old ones had, plus the
        // shown image's state; the many new elements before them keep the scanner busy for a while.
        'morph',
        `const list = document.createElement('div');
        list.innerHTML = '<span>item</span>'.repeat(3000);
        cat.before(list);
        for (const el of [cat, bg]) {
          const next = document.createElement(el.localName);
          for (const a of el.attributes) next.setAttribute(a.name, a.value);
          next.setAttribute('data-megane', cup.getAttribute('data-megane'));
          el.replaceWith(next);
        }`,
      ],
    ];
    for (const [name, code] of attacks) {
      await page.evaluate(
        (body) =>
          new Function('cat', 'bg', 'cup', body)(
            document.getElementById('cat'),
            document.getElementById('bg-cat'),
            document.getElementById('cup'),
          ),
        code,
      );
      await frames(page);
      expect(await blurred(page, '#cat'), name).toBe(true);
      expect(await blurred(page, '#bg-cat'), name).toBe(true);
      expect(await visibleFrames(page, 'cat'), name).toBe(0);
      expect(await visibleFrames(page, 'bg-cat'), name).toBe(0);
    }
    // The morphed elements are new to Megane: checked again (from its cache), and hidden again.
    await waitForStates(page, { cat: 'hidden', 'bg-cat': 'hidden' }, 30_000);

    // Moved into a closed shadow root, out of sight of the document, then given the shown state.
    const filters = await page.evaluate(() => {
      const cat = document.getElementById('cat') as HTMLElement;
      const host = document.createElement('div');
      document.body.append(host);
      host.attachShadow({ mode: 'closed' }).append(cat);
      cat.setAttribute('data-megane', document.getElementById('cup')?.getAttribute('data-megane') ?? '');
      const seen: string[] = [];
      return new Promise<string[]>((resolve) => {
        const sample = () => {
          seen.push(getComputedStyle(cat).filter);
          if (seen.length === 10) resolve(seen);
          else requestAnimationFrame(sample);
        };
        requestAnimationFrame(sample);
        // A later change, once Megane could have noticed the move.
        setTimeout(() => cat.removeAttribute('data-megane'), 50);
        setTimeout(() => cat.setAttribute('data-megane', 'safe'), 80);
      });
    });
    for (const filter of filters) expect(filter).toMatch(/blur/);
    await page.close();
  }, 300_000);

  it('page CSS with !important, in @layer, inline, adopted or animated, and a removed cover style, leave covered images covered', async () => {
    const page = await openAttackPage();
    await waitForStates(page, CHECKED, 150_000);
    await page.evaluate(() => {
      const style = document.createElement('style');
      style.textContent = `
        img, div, [data-megane] { filter: none !important; clip-path: none !important; transition: filter 0s !important; }
        @layer page { img, div { filter: none !important; } }
        html body img#cat, html body div#bg-cat { filter: none !important; }
      `;
      document.head.append(style);
      style.textContent += `
        @keyframes unblur { from, to { filter: none; } }
        img, div { animation: unblur 1s infinite !important; }
      `;
      const sheet = new CSSStyleSheet();
      sheet.replaceSync('img, div { filter: none !important; }');
      document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
      for (const id of ['cat', 'bg-cat']) {
        const el = document.getElementById(id) as HTMLElement;
        el.style.setProperty('filter', 'none', 'important');
        el.animate([{ filter: 'none' }, { filter: 'none' }], { duration: 100_000, fill: 'both' });
      }
      for (const own of document.querySelectorAll<HTMLStyleElement>('style[data-megane-style]')) {
        if (own.sheet) own.sheet.disabled = true;
        own.remove();
      }
    });
    await frames(page, 10);
    expect(await filterOf(page, '#cat')).toMatch(/blur/);
    expect(await filterOf(page, '#bg-cat')).toMatch(/blur/);
    expect(await visibleFrames(page, 'cat')).toBe(0);
    expect(await visibleFrames(page, 'bg-cat')).toBe(0);
    // The cover is the only thing overridden: the coffee cup, checked safe, is still shown.
    expect(await blurred(page, '#cup')).toBe(false);
    await page.close();
  }, 300_000);
});

describe('a page cannot read what Megane decided', () => {
  it('the DOM says covered or shown, and the labels and mark buttons are out of reach', async () => {
    await patchSettings(browser.serviceWorker, { showTagsOnHover: true });
    const page = await openAttackPage();
    await waitForStates(page, CHECKED, 150_000);
    // Megane's own world sees why the cat is covered; the page sees no more than that it is.
    expect(await labelText(page, '#cat')).toMatch(/^Hidden: cat \d+%$/);
    const box = await page.locator('#cup').boundingBox();
    if (!box) throw new Error('#cup is not laid out');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await expect.poll(() => page.evaluate(() => document.querySelector('megane-controls') !== null)).toBe(true);
    const seenByPage = await page.evaluate(() => ({
      values: [...new Set([...document.querySelectorAll('[data-megane]')].map((el) => el.getAttribute('data-megane')))].sort(),
      roots: ['megane-labels', 'megane-controls'].map((name) => {
        const host = document.querySelector(name);
        return host ? host.shadowRoot : 'absent';
      }),
      text: document.documentElement.outerHTML,
    }));
    expect(seenByPage.values).toEqual(['covered', 'shown']);
    expect(seenByPage.roots).toEqual([null, null]);
    expect(seenByPage.text).not.toMatch(/cat \d+%|Hidden|Dislike|Photo \d+%/);
    await patchSettings(browser.serviceWorker, { showTagsOnHover: false });
    await page.close();
  }, 300_000);
});
