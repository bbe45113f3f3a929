import { describe, expect, expectTypeOf, it } from 'vitest';
import type { Marks } from '../marks/mark-types';
import { isBackgroundToContent, type sendBackgroundToContent } from './background-content';
import {
  isBackgroundToOffscreen,
  type CaptureResult,
  type HostStatus,
  type ScoresResult,
  type sendBackgroundToOffscreen,
} from './background-offscreen';
import { isContentToBackground, type ClassifyResult, type MarkReply, type sendContentToBackground } from './content-background';
import {
  isPopupToBackground,
  type PopupStatus,
  type PopupToBackground,
  type PopupToBackgroundReplies,
  type sendPopupToBackground,
} from './popup-background';
import type { Handlers } from './protocol';

const marks: Marks = { like: true, dislike: false, verdict: 'hide', tags: ['megane'] };

describe('message validation', () => {
  it.each([
    [{ channel: 'content->background', type: 'classify-url', url: 'https://a.test/x.jpg', detectors: [] }, true],
    [{ channel: 'content->background', type: 'classify-url', url: 'HTTP://A.TEST/x.jpg', detectors: ['faces', 'objects'] }, true],
    [{ channel: 'content->background', type: 'classify-url', url: 'https://a.test/x.jpg', detectors: ['gpu-miner'] }, false],
    [{ channel: 'content->background', type: 'classify-url', url: 'https://a.test/x.jpg' }, false],
    [{ channel: 'content->background', type: 'classify-url', url: 'https://a.test/x.jpg', detectors: [], place: 0 }, true],
    [{ channel: 'content->background', type: 'classify-url', url: 'https://a.test/x.jpg', detectors: [], place: 2 }, true],
    [{ channel: 'content->background', type: 'classify-url', url: 'https://a.test/x.jpg', detectors: [], place: -1 }, false],
    [{ channel: 'content->background', type: 'classify-url', url: 'https://a.test/x.jpg', detectors: [], place: '0' }, false],
    [{ channel: 'content->background', type: 'classify-url', url: 'data:image/gif;base64,R0lG', detectors: [] }, true],
    [{ channel: 'content->background', type: 'classify-url', url: 'file:///etc/passwd', detectors: [] }, false],
    [{ channel: 'content->background', type: 'classify-url', url: 'chrome-extension://x/models/a.bin', detectors: [] }, false],
    [{ channel: 'content->background', type: 'classify-url', url: 42 }, false],
    [
      {
        channel: 'content->background',
        type: 'classify-pixels',
        key: 'blob:https://a.test/1',
        dataUrl: 'data:image/png;base64,iVBOR',
        detectors: [],
      },
      true,
    ],
    [
      {
        channel: 'content->background',
        type: 'classify-pixels',
        key: 'blob:https://a.test/1',
        dataUrl: 'data:image/jpeg;base64,/9j',
        detectors: [],
      },
      false,
    ],
    [{ channel: 'content->background', type: 'cancel-check', url: 'https://a.test/x.jpg' }, true],
    [{ channel: 'content->background', type: 'cancel-check', url: 42 }, false],
    [{ channel: 'content->background', type: 'frame-stats', stats: { checked: 1, covered: 0, failed: 0, pending: 2 } }, true],
    [{ channel: 'content->background', type: 'frame-stats', stats: { checked: 1.5, covered: 0, failed: 0, pending: 2 } }, false],
    [{ channel: 'content->background', type: 'frame-stats', stats: { checked: 1 } }, false],
    [{ channel: 'content->background', type: 'classify-url' }, false],
    [
      {
        channel: 'content->background',
        type: 'mark-image',
        url: 'https://a.test/x.jpg',
        pageUrl: 'https://a.test/',
        action: { kind: 'like' },
      },
      true,
    ],
    [
      {
        channel: 'content->background',
        type: 'mark-image',
        url: 'https://a.test/x.jpg',
        pageUrl: 'https://a.test/',
        action: { kind: 'tag', tag: 'megane', on: false },
      },
      true,
    ],
    [
      {
        channel: 'content->background',
        type: 'mark-image',
        url: 'https://a.test/x.jpg',
        pageUrl: 'https://a.test/',
        action: { kind: 'verdict', verdict: null },
      },
      true,
    ],
    [{ channel: 'content->background', type: 'mark-image', url: '', pageUrl: 'https://a.test/', action: { kind: 'like' } }, false],
    [
      {
        channel: 'content->background',
        type: 'mark-image',
        url: 'https://a.test/x.jpg',
        pageUrl: 'https://a.test/',
        action: { kind: 'love' },
      },
      false,
    ],
    [
      {
        channel: 'content->background',
        type: 'mark-image',
        url: 'https://a.test/x.jpg',
        pageUrl: 'https://a.test/',
        action: { kind: 'tag', tag: 'megane' },
      },
      false,
    ],
    [{ type: 'classify-url', url: 'https://a.test/x.jpg', detectors: [] }, false],
    [{ channel: 'popup->background', type: 'classify-url', url: 'https://a.test/x.jpg', detectors: [] }, false],
    [{ channel: 'background->offscreen', type: 'frame-stats', stats: { checked: 1, covered: 0, failed: 0, pending: 2 } }, false],
    [null, false],
    [[], false],
  ])('content -> background %j is %s', (message, valid) => {
    expect(isContentToBackground(message)).toBe(valid);
  });

  it.each([
    [{ channel: 'popup->background', type: 'get-status', tabId: 3 }, true],
    [{ channel: 'popup->background', type: 'get-status', tabId: null }, true],
    [{ channel: 'popup->background', type: 'get-status', tabId: '3' }, false],
    [{ channel: 'popup->background', type: 'marks-changed' }, true],
    [{ channel: 'popup->background', type: 'train-personal' }, true],
    [{ channel: 'background->offscreen', type: 'get-status', tabId: 3 }, false],
    [{ channel: 'content->background', type: 'marks-changed' }, false],
    [{ target: 'background', type: 'get-status', tabId: 3 }, false],
  ])('popup -> background %j is %s', (message, valid) => {
    expect(isPopupToBackground(message)).toBe(valid);
  });

  it.each([
    [{ channel: 'background->offscreen', type: 'status' }, true],
    [
      {
        channel: 'background->offscreen',
        type: 'classify',
        config: { model: 'mobilenet_v2', backend: 'auto', detectors: ['objects'], personal: null, trained: null, workers: 0 },
        job: { url: 'https://a.test/x' },
      },
      true,
    ],
    [
      {
        channel: 'background->offscreen',
        type: 'capture',
        config: { model: 'mobilenet_v2', backend: 'auto', detectors: ['faces'], personal: 17, trained: 'model3@1', workers: 0 },
        job: { url: 'https://a.test/x' },
      },
      true,
    ],
    [
      {
        channel: 'background->offscreen',
        type: 'classify',
        config: { model: 'mobilenet_v2', backend: 'auto', detectors: [], personal: 'new' },
        job: { url: 'https://a.test/x' },
      },
      false,
    ],
    [
      {
        channel: 'background->offscreen',
        type: 'classify',
        config: { model: 'mobilenet_v2', backend: 'auto', detectors: [], personal: null, trained: 42 },
        job: { url: 'https://a.test/x' },
      },
      false,
    ],
    [
      {
        channel: 'background->offscreen',
        type: 'classify',
        config: { model: 'mobilenet_v2', backend: 'auto', detectors: [], personal: null, trained: null, workers: 0 },
        job: { url: 'https://a.test/x', anonymous: true },
      },
      true,
    ],
    [
      {
        channel: 'background->offscreen',
        type: 'classify',
        config: { model: 'mobilenet_v2', backend: 'auto', detectors: [], personal: null, trained: null, workers: 0 },
        job: { url: 'https://a.test/x', anonymous: 'yes' },
      },
      false,
    ],
    [{ channel: 'background->offscreen', type: 'cancel', id: 'k1-2' }, true],
    [{ channel: 'background->offscreen', type: 'cancel', id: '' }, false],
    [{ channel: 'background->offscreen', type: 'cancel', id: 'x'.repeat(65) }, false],
    [{ channel: 'background->offscreen', type: 'train-personal', model: 'mobilenet_v2_mid' }, true],
    [{ channel: 'background->offscreen', type: 'train-personal', model: 'resnet' }, false],
    [
      {
        channel: 'background->offscreen',
        type: 'classify',
        config: { model: 'resnet', backend: 'auto', detectors: [] },
        job: { url: 'https://a.test/x' },
      },
      false,
    ],
    [
      { channel: 'background->offscreen', type: 'classify', config: { model: 'mobilenet_v2', backend: 'auto', detectors: [] }, job: {} },
      false,
    ],
    [{ type: 'status' }, false],
    [{ target: 'offscreen', type: 'status' }, false],
    [{ channel: 'popup->background', type: 'status' }, false],
    [{ channel: 'content->background', type: 'train-personal', model: 'mobilenet_v2_mid' }, false],
  ])('background -> offscreen %j is %s', (message, valid) => {
    expect(isBackgroundToOffscreen(message)).toBe(valid);
  });

  it.each([
    [{ channel: 'background->content', type: 'marks-changed', url: 'https://a.test/x.jpg', marks }, true],
    [{ channel: 'background->content', type: 'marks-changed', url: 'https://a.test/x.jpg', marks: { ...marks, verdict: 'maybe' } }, false],
    [{ channel: 'background->content', type: 'marks-changed', url: 'https://a.test/x.jpg' }, false],
    [{ channel: 'popup->background', type: 'marks-changed', url: 'https://a.test/x.jpg', marks }, false],
    [{ target: 'content', type: 'marks-changed', url: 'https://a.test/x.jpg', marks }, false],
    [{ channel: 'background->content', type: 'reveal-under-pointer' }, true],
    [{ channel: 'content->background', type: 'reveal-under-pointer' }, false],
  ])('background -> content %j is %s', (message, valid) => {
    expect(isBackgroundToContent(message)).toBe(valid);
  });
});

// Checked by tsc (npx tsc --noEmit); at run time these only call expectTypeOf.
describe('reply types follow the request type', () => {
  it('on every channel', () => {
    type Reply<Send extends (...args: never[]) => Promise<unknown>> = Awaited<ReturnType<Send>>;
    expectTypeOf<
      Reply<typeof sendContentToBackground<Extract<Parameters<typeof sendContentToBackground>[0], { type: 'classify-url' }>>>
    >().toEqualTypeOf<ClassifyResult | undefined>();
    expectTypeOf<
      Reply<typeof sendContentToBackground<Extract<Parameters<typeof sendContentToBackground>[0], { type: 'mark-image' }>>>
    >().toEqualTypeOf<MarkReply | undefined>();
    expectTypeOf<
      Reply<typeof sendBackgroundToOffscreen<Extract<Parameters<typeof sendBackgroundToOffscreen>[0], { type: 'status' }>>>
    >().toEqualTypeOf<HostStatus | undefined>();
    expectTypeOf<
      Reply<typeof sendBackgroundToOffscreen<Extract<Parameters<typeof sendBackgroundToOffscreen>[0], { type: 'classify' }>>>
    >().toEqualTypeOf<ScoresResult | undefined>();
    expectTypeOf<
      Reply<typeof sendBackgroundToOffscreen<Extract<Parameters<typeof sendBackgroundToOffscreen>[0], { type: 'capture' }>>>
    >().toEqualTypeOf<CaptureResult | undefined>();
    expectTypeOf<Reply<typeof sendPopupToBackground<Extract<PopupToBackground, { type: 'get-status' }>>>>().toEqualTypeOf<
      PopupStatus | undefined
    >();
    expectTypeOf<Reply<typeof sendBackgroundToContent<Parameters<typeof sendBackgroundToContent>[1]>>>().toEqualTypeOf<undefined>();
  });

  it("handlers must answer with their request type's reply", () => {
    const wrong: Handlers<PopupToBackground, PopupToBackgroundReplies> = {
      // @ts-expect-error: get-status answers with a PopupStatus, not true
      'get-status': async () => true,
      'marks-changed': async () => true,
      'train-personal': async () => true,
    };
    expect(Object.keys(wrong)).toHaveLength(3);
  });
});
