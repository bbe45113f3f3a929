import { describe, expect, it } from 'vitest';
import { tabIdFromSearch } from '../../src/ui/use-active-tab';
import { isPopupStatus } from '../../src/ui/use-popup-status';

const model = { model: 'mobilenet_v2', state: 'loading', backend: null, reason: '' };

describe('isPopupStatus', () => {
  it.each<[string, unknown, boolean]>([
    ['a full answer', { model, tab: { checked: 1, covered: 0, failed: 0, pending: 2 } }, true],
    ['no content script', { model, tab: null }, true],
    ['a failed model', { model: { ...model, state: 'failed', error: 'x' }, tab: null }, true],
    ['a model that recovered', { model: { ...model, recovery: 'the WebGL context was lost' }, tab: null }, true],
    ['a recovery that is not text', { model: { ...model, recovery: 7 }, tab: null }, false],
    ['nothing', undefined, false],
    ['an error object', { error: 'no handler' }, false],
    ['an unknown model', { model: { ...model, model: 'resnet' }, tab: null }, false],
    ['an unknown state', { model: { ...model, state: 'warming' }, tab: null }, false],
    ['tab missing', { model }, false],
    ['counts missing', { model, tab: { checked: 1 } }, false],
  ])('%s', (_name, value, expected) => {
    expect(isPopupStatus(value)).toBe(expected);
  });
});

describe('tabIdFromSearch', () => {
  it.each<[string, number | null]>([
    ['?tabId=42', 42],
    ['?x=1&tabId=7', 7],
    ['', null],
    ['?tabId=', null],
    ['?tabId=-1', null],
    ['?tabId=1.5', null],
    ['?tabId=abc', null],
    ['?tabId=99999999999999999999', null],
  ])('%j -> %j', (search, expected) => {
    expect(tabIdFromSearch(search)).toBe(expected);
  });
});
