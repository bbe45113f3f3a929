// Bench page (MEGANE_BENCH=1 builds only): runs src/bench for the backend in the URL and publishes the
// result on window.__benchResult for scripts/bench.mjs. Logic lives in src/bench/.
import { parseBenchConfig } from '../../src/bench/config';
import type { BackendResult } from '../../src/bench/result';
import { runBench } from '../../src/bench/run-bench';
import { errorText } from '../../src/util/checks';

declare global {
  interface Window {
    __benchResult?: BackendResult;
    /** The same result while it is being filled in, readable after a timeout. */
    __benchPartial?: BackendResult;
    __benchError?: string;
  }
}

const logElement = document.getElementById('log');
const log = (line: string) => {
  console.log(`[bench] ${line}`);
  logElement?.append(`${line}\n`);
};

const publish = (partial: BackendResult) => {
  window.__benchPartial = partial;
};

Promise.resolve()
  .then(() => runBench(parseBenchConfig(location.search), log, publish))
  .then(
    (result) => {
      window.__benchResult = result;
    },
    (err: unknown) => {
      window.__benchError = errorText(err);
    },
  );
