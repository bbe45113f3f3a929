// One import for end-to-end tests: the browser launcher, the demo server and the gallery list.
export { firstRunPage, launchWithExtension, BUILT_EXTENSION_DIR } from './browser';
export type { ExtensionBrowser, LaunchOptions } from './browser';
export { startDemoServer } from '../../../scripts/demo-server.mjs';
export type { DemoServer, DemoRequest } from '../../../scripts/demo-server.mjs';
export { galleryImages, GALLERY_DIR, FIXTURES_DIR } from './gallery';
export type { GalleryImage } from './gallery';
