// The URL of a file packaged with the extension, for paths built at run time (the model files under
// public/). WXT types runtime.getURL with the public paths it finds at build time, which do not list
// the model folders (they are filled by scripts/extract-models.mjs), so the path is cast here, once.
// The extension's own dedicated workers (the model workers) have no extension API but run from an
// extension URL: there the path resolves against their own origin, which is the same.
import { browser, type PublicPath } from 'wxt/browser';

export function extensionUrl(path: string): string {
  if (browser?.runtime?.getURL) return browser.runtime.getURL(path as PublicPath);
  return new URL(path, self.location.origin).href;
}
