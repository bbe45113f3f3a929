// The manifest each build target gets from wxt.config.ts: Chrome (and Edge) an offscreen document and
// split incognito, Firefox a fixed add-on id, its minimum version and no offscreen permission.
import { describe, expect, it } from 'vitest';
import config from '../../wxt.config';

type Manifest = Record<string, unknown> & { permissions: string[] };

async function manifestFor(browser: string): Promise<Manifest> {
  const manifest = config.manifest;
  if (typeof manifest !== 'function') throw new Error('the manifest is not per browser');
  return (await manifest({ browser, manifestVersion: 3, mode: 'production', command: 'build' })) as Manifest;
}

describe('manifest per build target', () => {
  it.each(['chrome', 'edge'])('%s: the model host in an offscreen document, a second Megane for incognito', async (browser) => {
    const manifest = await manifestFor(browser);
    expect(manifest.permissions).toContain('offscreen');
    expect(manifest.incognito).toBe('split');
    expect(manifest.browser_specific_settings).toBeUndefined();
  });

  it('firefox: its own id and minimum version, no offscreen document (the background page hosts the model)', async () => {
    const manifest = await manifestFor('firefox');
    expect(manifest.permissions).not.toContain('offscreen');
    expect(manifest.incognito).toBeUndefined();
    expect(manifest.browser_specific_settings).toEqual({
      gecko: { id: 'megane@megane-filter.org', strict_min_version: '140.0', data_collection_permissions: { required: ['none'] } },
    });
  });

  it('every target asks for the same other permissions and hosts', async () => {
    const [chrome, firefox] = await Promise.all([manifestFor('chrome'), manifestFor('firefox')]);
    expect(chrome.permissions.filter((p) => p !== 'offscreen')).toEqual(firefox.permissions);
    expect(chrome.host_permissions).toEqual(firefox.host_permissions);
    expect(chrome.content_security_policy).toEqual(firefox.content_security_policy);
  });
});
