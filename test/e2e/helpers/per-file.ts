// What most end-to-end files share: the demo server and a browser with the built extension, started
// once before the file's tests and closed after them (the browser first: its pages use the server).
import { afterAll, beforeAll } from 'vitest';
import { startDemoServer, type DemoServer } from '../../../scripts/demo-server.mjs';
import { launchWithExtension, type ExtensionBrowser, type LaunchOptions } from './browser';

/** Registers the file's beforeAll/afterAll; `started` hands the browser and server to the file's variables. */
export function browserAndServerPerFile(started: (browser: ExtensionBrowser, server: DemoServer) => void, options?: LaunchOptions): void {
  let browser: ExtensionBrowser | undefined;
  let server: DemoServer | undefined;
  beforeAll(async () => {
    server = await startDemoServer();
    browser = await launchWithExtension(options);
    started(browser, server);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
}
