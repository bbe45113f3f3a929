// What every model loader here needs from TensorFlow.js's loading and running API, written once.
import * as tf from '@tensorflow/tfjs';

/**
 * The IOHandler for a model.json URL, resolved as tf.loadLayersModel/loadGraphModel would: registered
 * routers first, else fetch() (chrome-extension:// URLs match no router and go through fetch). An
 * IOHandler is passed through (tests load from disk).
 */
export function toHandler(source: string | tf.io.IOHandler): tf.io.IOHandler {
  if (typeof source !== 'string') return source;
  return tf.io.getLoadHandlers(source)[0] ?? tf.io.http(source);
}

/** A model call's output as a list: execute/predict give one tensor or an array of them. */
export function asArray<T>(value: T | T[]): T[] {
  return Array.isArray(value) ? value : [value];
}
