import { describe, expect, it } from 'vitest';
import { createRefererRules, needsReferer, refererFor } from './referer-rules';

describe('refererFor', () => {
  it.each([
    ['https://www.pixiv.net', 'https://www.pixiv.net/'],
    ['http://127.0.0.1:8180', 'http://127.0.0.1:8180/'],
    ['https://example.com/', 'https://example.com/'],
  ])('%s -> %s', (site, referer) => {
    expect(refererFor(site)).toBe(referer);
  });
});

describe('needsReferer', () => {
  it.each([
    ['https://i.pximg.net/img.jpg', 'https://www.pixiv.net', true],
    ['http://localhost:1/a.png', 'http://127.0.0.1:2', true],
    ['data:image/png;base64,AAAA', 'https://www.pixiv.net', false],
    ['blob:https://a.test/1', 'https://a.test', false],
    ['https://i.pximg.net/img.jpg', 'unknown', false],
    ['https://i.pximg.net/img.jpg', 'chrome-extension://abc', false],
  ])('%s from %s -> %s', (url, site, needed) => {
    expect(needsReferer(url, site)).toBe(needed);
  });
});

describe('createRefererRules', () => {
  function setup(existing: number[] = []) {
    const changes: string[] = [];
    const inForce = new Set<number>();
    const rules = createRefererRules({
      update: async (change) => {
        for (const r of change.addRules ?? []) {
          changes.push(`add ${r.id} ${r.condition.urlFilter} ${r.action.requestHeaders?.[0]?.value}`);
          inForce.add(r.id);
        }
        for (const id of change.removeRuleIds ?? []) {
          changes.push(`remove ${id}`);
          inForce.delete(id);
        }
      },
      existing: async () => existing,
      extensionId: 'megane',
    });
    /** A host that refuses a download while no rule is in force (as hotlink protection refuses no Referer). */
    const hotlinked = async () => (inForce.size > 0 ? 'picture' : 'refused');
    return { changes, rules, hotlinked };
  }

  it('adds no rule for a host that answers without a Referer', async () => {
    const { changes, rules } = setup();
    const results = await Promise.all(
      ['a', 'b'].map((n) =>
        rules.download(
          `https://cdn.test/${n}.jpg`,
          'https://a.test',
          async () => n,
          () => false,
        ),
      ),
    );
    expect(results).toEqual(['a', 'b']);
    expect(changes).toEqual([]);
  });

  it('downloads again with the page’s Referer when refused, and from then on sends it to that origin at once', async () => {
    const { changes, rules, hotlinked } = setup([41]);
    const refused = (r: string) => r === 'refused';
    const work = hotlinked;
    const tries: string[] = [];
    const tracked = async () => {
      const r = await work();
      tries.push(r);
      return r;
    };
    expect(await rules.download('https://i.pximg.net/1.jpg#x', 'https://www.pixiv.net', tracked, refused)).toBe('picture');
    expect(tries).toEqual(['refused', 'picture']);
    expect(changes).toEqual(['remove 41', 'add 1 |https://i.pximg.net/1.jpg| https://www.pixiv.net/', 'remove 1']);
    expect(await rules.download('https://i.pximg.net/2.jpg', 'https://www.pixiv.net', tracked, refused)).toBe('picture');
    expect(tries).toEqual(['refused', 'picture', 'picture']);
    expect(changes.slice(3)).toEqual(['add 2 |https://i.pximg.net/2.jpg| https://www.pixiv.net/', 'remove 2']);
  });

  it('answers for a URL the parser refuses as for any other', async () => {
    const { changes, rules } = setup();
    expect(
      await rules.download(
        'http://[not-a-host/a.jpg',
        'https://a.test',
        async () => 'ok',
        () => false,
      ),
    ).toBe('ok');
    expect(changes).toEqual([]);
  });

  it('adds nothing for a URL that cannot carry a Referer', async () => {
    const { changes, rules } = setup();
    expect(
      await rules.download(
        'data:image/png;base64,AAAA',
        'https://a.test',
        async () => 7,
        () => true,
      ),
    ).toBe(7);
    expect(changes).toEqual([]);
  });
});
