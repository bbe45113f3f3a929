import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';

// `npm run bench` builds with MEGANE_BENCH=1: that build alone contains the bench page (entrypoints/bench)
// and goes to its own folder, so the normal build (and the e2e tests using it) never ships or sees it.
const BENCH = process.env.MEGANE_BENCH === '1';

// Megane's manifest. Host permissions let the offscreen document fetch any page's images itself, so
// cross-origin images are checked without CORS headers; nothing else is ever fetched.
export default defineConfig({
  // Every string the user sees is a message in src/locales/<lang>.yml (English and Japanese), built
  // into _locales/ by @wxt-dev/i18n; the browser's language picks one (docs/i18n.md).
  modules: ['@wxt-dev/i18n/module'],
  i18n: { localesDir: 'src/locales' },
  ...(BENCH ? { outDir: '.output/bench' } : {}),
  hooks: {
    'entrypoints:found': (_wxt, entrypoints) => {
      if (BENCH) return;
      const bench = entrypoints.findIndex((e) => e.name === 'bench');
      if (bench !== -1) entrypoints.splice(bench, 1);
    },
  },
  manifest: ({ browser }) => ({
    default_locale: 'en',
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    // scripting: the cover stylesheet goes into each page as user-origin CSS, which page CSS cannot beat.
    // offscreen: Chrome's model host (Firefox runs it in its background page, which has a DOM).
    permissions: [
      'storage',
      ...(browser === 'firefox' ? [] : ['offscreen']),
      'alarms',
      'contextMenus',
      'scripting',
      'declarativeNetRequestWithHostAccess',
    ],
    host_permissions: ['<all_urls>'],
    content_security_policy: {
      // 'wasm-unsafe-eval' lets TensorFlow.js's WASM backend compile its bundled .wasm files.
      extension_pages: "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'",
    },
    web_accessible_resources: [],
    // Changeable on the browser's shortcuts page (chrome://extensions/shortcuts).
    commands: {
      'toggle-site': {
        suggested_key: { default: 'Alt+Shift+M' },
        description: '__MSG_commandToggleSite__',
      },
      'toggle-pause': {
        suggested_key: { default: 'Alt+Shift+U' },
        description: '__MSG_commandTogglePause__',
      },
      'reveal-under-pointer': {
        suggested_key: { default: 'Alt+Shift+S' },
        description: '__MSG_commandRevealUnderPointer__',
      },
    },
    // Allowed in Incognito, a second Megane runs there: incognito images are checked with incognito's
    // cookies, in its own offscreen document, and nothing of them touches disk
    // (docs/architecture.md#incognito-split-mode, test/e2e/incognito.test.ts). Firefox has no split
    // mode: one Megane serves private windows too once the user allows it there (docs/firefox.md).
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: 'megane@megane-filter.org',
              // 140 (an ESR): world "MAIN" content scripts (the early hooks in before-content) need 128,
              // data_collection_permissions 140. Desktop only: Firefox for Android lacks windows, menus
              // and commands, which the background uses.
              strict_min_version: '140.0',
              // addons.mozilla.org asks every new add-on to say what it collects: nothing.
              data_collection_permissions: { required: ['none'] },
            },
          },
        }
      : { incognito: 'split' as const }),
  }),
  vite: () => ({
    plugins: [preact()],
    build: { chunkSizeWarningLimit: 4000 },
  }),
});
