// Convolution gradients for training on TensorFlow.js's WASM backend.
//
// tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter kernel at all (training a conv layer fails with
// "Kernel 'Conv2DBackpropFilter' not registered for backend 'wasm'"), and its Conv2DBackpropInput is a
// plain loop about 10x slower than its forward Conv2D (XNNPACK). The CPU backend has both, but trains
// model3 some 100x slower than WASM (measured: 44 s per 64x64 image per step on CPU).
//
// For stride 1 and dilation 1 (every conv of model3) both gradients are ordinary convolutions, so they are
// built here from the WASM backend's own Conv2D, Transpose and Reverse kernels:
//   dW[kh,kw,ci,co] = sum_{b,i,j} xpad[b, i+kh, j+kw, ci] * dy[b,i,j,co]
//                   = conv2d(x as [ci, H, W, b], dy as [OH, OW, b, co], pad = the forward pad)  -> [ci, kh, kw, co]
//   dx              = conv2d(dy, W rotated 180 deg as [kh, kw, co, ci], pad = kernel - 1 - forward pad)
// Other strides or dilations keep the native Conv2DBackpropInput; Conv2DBackpropFilter then says why it
// cannot run. Tested against the CPU backend's gradients in test/unit/train-wasm-conv-grads.test.ts.
import * as tf from '@tensorflow/tfjs';

type Attrs = Record<string, unknown>;
type Shape4 = [number, number, number, number];
/** The attributes both convolution gradient kernels get (besides the shape of what they compute). */
interface ConvAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}
type Run = (kernel: string, inputs: tf.NamedTensorInfoMap, attrs: Attrs) => tf.TensorInfo;

interface WasmBackendLike {
  disposeData(dataId: object): boolean;
}

let installed = false;

/**
 * Registers the two gradient kernels for the 'wasm' backend (idempotent). Call before training; the WASM
 * backend does not need to be the active one yet. Returns the kernel names it registered.
 */
export function registerWasmConvGradients(): string[] {
  if (installed) return ['Conv2DBackpropFilter', 'Conv2DBackpropInput'];
  const kernel = (name: string): tf.KernelConfig => {
    const config = tf.getKernel(name, 'wasm');
    if (!config)
      throw new Error(`registerWasmConvGradients: the WASM backend has no ${name} kernel (is @tensorflow/tfjs-backend-wasm imported?)`);
    return config;
  };
  const conv = kernel('Conv2D');
  const transpose = kernel('Transpose');
  const reverse = kernel('Reverse');
  const nativeInput = kernel('Conv2DBackpropInput');

  /** Runs WASM kernels directly on `backend`; `free(result)` then frees every other tensor they made. */
  const session = (backend: WasmBackendLike) => {
    const made: tf.TensorInfo[] = [];
    const byName: Record<string, tf.KernelConfig> = { Conv2D: conv, Transpose: transpose, Reverse: reverse };
    const run: Run = (name, inputs, attrs) => {
      const config = byName[name];
      if (!config) throw new Error(`wasm-conv-grads: no kernel ${name}`);
      const out = config.kernelFunc({ inputs, backend, attrs: attrs as tf.NamedAttrMap });
      if (Array.isArray(out)) throw new Error(`wasm-conv-grads: ${name} returned several tensors`);
      made.push(out);
      return out;
    };
    const free = (keep: tf.TensorInfo) => {
      for (const info of made) if (info !== keep) backend.disposeData(info.dataId);
    };
    return { run, free };
  };

  const filterGrad: tf.KernelFunc = ({ inputs, backend, attrs }) => {
    const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as ConvAttrs & { filterShape: Shape4 };
    if (dataFormat !== 'NHWC')
      throw new Error(`Conv2DBackpropFilter on WASM (scripts/train/wasm-conv-grads.ts) supports NHWC only, got ${dataFormat}`);
    const info = tf.backend_util.computeConv2DInfo(x.shape as Shape4, filterShape, strides, 1, pad, dimRoundingMode);
    if (info.strideHeight !== 1 || info.strideWidth !== 1) {
      throw new Error(
        `Conv2DBackpropFilter on WASM (scripts/train/wasm-conv-grads.ts) supports stride 1 only, got ${info.strideHeight}x${info.strideWidth}; train on the CPU backend`,
      );
    }
    const { top, bottom, left, right } = info.padInfo;
    const { run, free } = session(backend as WasmBackendLike);
    const xT = run('Transpose', { x }, { perm: [3, 1, 2, 0] }); // [ci, H, W, b]
    const dyT = run('Transpose', { x: dy }, { perm: [1, 2, 0, 3] }); // [OH, OW, b, co]
    const grad = run(
      'Conv2D',
      { x: xT, filter: dyT },
      {
        strides: [1, 1],
        pad: [
          [0, 0],
          [top, bottom],
          [left, right],
          [0, 0],
        ],
        dataFormat: 'NHWC',
        dilations: [1, 1],
      },
    ); // [ci, kh, kw, co]
    const out = run('Transpose', { x: grad }, { perm: [1, 2, 0, 3] });
    free(out);
    return out;
  };

  const inputGrad: tf.KernelFunc = (args) => {
    const { inputs, backend, attrs } = args;
    const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as ConvAttrs & { inputShape: Shape4 };
    const info = tf.backend_util.computeConv2DInfo(inputShape, filter.shape as Shape4, strides, 1, pad, dimRoundingMode);
    const { top, bottom, left, right } = info.padInfo;
    const padT = info.filterHeight - 1 - top;
    const padB = info.filterHeight - 1 - bottom;
    const padL = info.filterWidth - 1 - left;
    const padR = info.filterWidth - 1 - right;
    const simple = dataFormat === 'NHWC' && info.strideHeight === 1 && info.strideWidth === 1 && Math.min(padT, padB, padL, padR) >= 0;
    if (!simple) return nativeInput.kernelFunc(args);
    const { run, free } = session(backend as WasmBackendLike);
    const rotated = run('Reverse', { x: filter }, { dims: [0, 1] });
    const swapped = run('Transpose', { x: rotated }, { perm: [0, 1, 3, 2] }); // [kh, kw, co, ci]
    const out = run(
      'Conv2D',
      { x: dy, filter: swapped },
      {
        strides: [1, 1],
        pad: [
          [0, 0],
          [padT, padB],
          [padL, padR],
          [0, 0],
        ],
        dataFormat: 'NHWC',
        dilations: [1, 1],
      },
    );
    free(out);
    return out;
  };

  // unregister first: registering over an existing kernel only warns, and the native input kernel stays
  // reachable through `nativeInput` for the strided case.
  tf.unregisterKernel('Conv2DBackpropInput', 'wasm');
  // The native kernel's setupFunc binds its WASM function when the backend starts; keep it running.
  const inputConfig: tf.KernelConfig = { kernelName: 'Conv2DBackpropInput', backendName: 'wasm', kernelFunc: inputGrad };
  if (nativeInput.setupFunc) inputConfig.setupFunc = nativeInput.setupFunc;
  tf.registerKernel(inputConfig);
  if (tf.getKernel('Conv2DBackpropFilter', 'wasm')) tf.unregisterKernel('Conv2DBackpropFilter', 'wasm');
  tf.registerKernel({ kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: filterGrad });
  installed = true;
  return ['Conv2DBackpropFilter', 'Conv2DBackpropInput'];
}
