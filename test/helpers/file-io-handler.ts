// A tfjs IOHandler that reads model.json and its weight shards from disk, so unit tests load the same
// public/models files the extension serves, without a web server (tf.io.http needs fetch + a URL).
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';

export function fileIOHandler(modelJsonPath: string): tf.io.IOHandler {
  return {
    load: async () => {
      const json = JSON.parse(await readFile(modelJsonPath, 'utf8')) as tf.io.ModelJSON;
      const dir = dirname(modelJsonPath);
      return tf.io.getModelArtifactsForJSON(json, async (manifest) => {
        const specs = manifest.flatMap((group) => group.weights);
        const shards = await Promise.all(manifest.flatMap((group) => group.paths).map((p) => readFile(join(dir, p))));
        // Copy into one ArrayBuffer: Buffers from readFile may be views into a shared pool.
        const data = new Uint8Array(shards.reduce((n, s) => n + s.length, 0));
        let offset = 0;
        for (const s of shards) {
          data.set(s, offset);
          offset += s.length;
        }
        return [specs, data.buffer];
      });
    },
  };
}
