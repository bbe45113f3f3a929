import { describe, expect, it } from 'vitest';
import { isBackgroundToOffscreen } from './background-offscreen';
import { isContentToBackground } from './content-background';
import { isPopupToBackground } from './popup-background';

describe('message validation', () => {
  it.each([
    [{ type: 'classify-url', url: 'https://a.test/x.jpg', detectors: [] }, true],
    [{ type: 'classify-url', url: 'HTTP://A.TEST/x.jpg', detectors: ['faces', 'objects'] }, true],
    [{ type: 'classify-url', url: 'https://a.test/x.jpg', detectors: ['gpu-miner'] }, false],
    [{ type: 'classify-url', url: 'https://a.test/x.jpg' }, false],
    [{ type: 'classify-url', url: 'data:image/gif;base64,R0lG', detectors: [] }, true],
    [{ type: 'classify-url', url: 'file:///etc/passwd', detectors: [] }, false],
    [{ type: 'classify-url', url: 'chrome-extension://x/models/a.bin', detectors: [] }, false],
    [{ type: 'classify-url', url: 42 }, false],
    [{ type: 'classify-pixels', key: 'blob:https://a.test/1', dataUrl: 'data:image/png;base64,iVBOR', detectors: [] }, true],
    [{ type: 'classify-pixels', key: 'blob:https://a.test/1', dataUrl: 'data:image/jpeg;base64,/9j', detectors: [] }, false],
    [{ type: 'frame-stats', stats: { checked: 1, covered: 0, failed: 0, pending: 2 } }, true],
    [{ type: 'frame-stats', stats: { checked: 1.5, covered: 0, failed: 0, pending: 2 } }, false],
    [{ type: 'frame-stats', stats: { checked: 1 } }, false],
    [{ type: 'classify-url' }, false],
    [{ type: 'mark-image', url: 'https://a.test/x.jpg', pageUrl: 'https://a.test/', action: { kind: 'like' } }, true],
    [{ type: 'mark-image', url: 'https://a.test/x.jpg', pageUrl: 'https://a.test/', action: { kind: 'tag', tag: 'megane', on: false } }, true],
    [{ type: 'mark-image', url: 'https://a.test/x.jpg', pageUrl: 'https://a.test/', action: { kind: 'verdict', verdict: null } }, true],
    [{ type: 'mark-image', url: '', pageUrl: 'https://a.test/', action: { kind: 'like' } }, false],
    [{ type: 'mark-image', url: 'https://a.test/x.jpg', pageUrl: 'https://a.test/', action: { kind: 'love' } }, false],
    [{ type: 'mark-image', url: 'https://a.test/x.jpg', pageUrl: 'https://a.test/', action: { kind: 'tag', tag: 'megane' } }, false],
    [null, false],
    [[], false],
  ])('content -> background %j is %s', (message, valid) => {
    expect(isContentToBackground(message)).toBe(valid);
  });

  it.each([
    [{ target: 'background', type: 'get-status', tabId: 3 }, true],
    [{ target: 'background', type: 'get-status', tabId: null }, true],
    [{ target: 'background', type: 'get-status', tabId: '3' }, false],
    [{ target: 'offscreen', type: 'get-status', tabId: 3 }, false],
  ])('popup -> background %j is %s', (message, valid) => {
    expect(isPopupToBackground(message)).toBe(valid);
  });

  it.each([
    [{ target: 'offscreen', type: 'status' }, true],
    [{ target: 'offscreen', type: 'classify', config: { model: 'mobilenet_v2', backend: 'auto', detectors: ['objects'], personal: null, trained: null }, job: { url: 'https://a.test/x' } }, true],
    [{ target: 'offscreen', type: 'capture', config: { model: 'mobilenet_v2', backend: 'auto', detectors: ['faces'], personal: 17, trained: 'model3@1' }, job: { url: 'https://a.test/x' } }, true],
    [{ target: 'offscreen', type: 'classify', config: { model: 'mobilenet_v2', backend: 'auto', detectors: [], personal: 'new' }, job: { url: 'https://a.test/x' } }, false],
    [{ target: 'offscreen', type: 'classify', config: { model: 'mobilenet_v2', backend: 'auto', detectors: [], personal: null, trained: 42 }, job: { url: 'https://a.test/x' } }, false],
    [{ target: 'offscreen', type: 'train-personal', model: 'mobilenet_v2_mid' }, true],
    [{ target: 'offscreen', type: 'train-personal', model: 'resnet' }, false],
    [{ target: 'offscreen', type: 'classify', config: { model: 'resnet', backend: 'auto', detectors: [] }, job: { url: 'https://a.test/x' } }, false],
    [{ target: 'offscreen', type: 'classify', config: { model: 'mobilenet_v2', backend: 'auto', detectors: [] }, job: {} }, false],
    [{ type: 'status' }, false],
  ])('background -> offscreen %j is %s', (message, valid) => {
    expect(isBackgroundToOffscreen(message)).toBe(valid);
  });
});
