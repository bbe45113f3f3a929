import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';

// Megane's manifest. Host permissions let the offscreen document fetch any page's images itself, so
// cross-origin images are checked without CORS headers; nothing else is ever fetched.
export default defineConfig({
  manifest: {
    name: 'Megane',
    description:
      'Covers NSFW and unwanted images until they are checked. Every image is scored on your own machine; nothing leaves the browser.',
    permissions: ['storage', 'offscreen', 'alarms'],
    host_permissions: ['<all_urls>'],
    content_security_policy: {
      // 'wasm-unsafe-eval' lets TensorFlow.js's WASM backend compile its bundled .wasm files.
      extension_pages: "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'",
    },
    web_accessible_resources: [],
  },
  vite: () => ({
    plugins: [preact()],
    build: { chunkSizeWarningLimit: 4000 },
  }),
});
