// The decode worker's entry (built to /decode-worker.js, a script of the extension's own: blob:
// workers are not allowed in extension pages). Wiring only: src/offscreen/decode-worker.ts.
import { startDecodeWorker } from '../src/offscreen/decode-worker';

export default defineUnlistedScript(() => {
  startDecodeWorker();
});
