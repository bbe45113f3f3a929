import { describe, expect, it } from 'vitest';
import { createActiveTabs } from './active-tabs';

describe('createActiveTabs', () => {
  it("keeps a job's word for a tab it has not heard of, and follows what the service worker says after", () => {
    const tabs = createActiveTabs();
    expect(tabs.isActive(5, false)).toBe(false);
    expect(tabs.isActive(5, true)).toBe(true);
    tabs.update({ 5: true, 9: false });
    expect(tabs.isActive(5, false)).toBe(true);
    expect(tabs.isActive(9, true)).toBe(false);
  });

  it('counts the background’s own jobs (no tab) and jobs that said nothing as active', () => {
    const tabs = createActiveTabs();
    expect(tabs.isActive(undefined, false)).toBe(true);
    expect(tabs.isActive(3, undefined)).toBe(true);
  });

  it('forgets the oldest tabs past a thousand', () => {
    const tabs = createActiveTabs();
    tabs.update(Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [String(i), false])));
    expect(tabs.isActive(0, true)).toBe(true); // forgotten: the job's word again
    expect(tabs.isActive(1000, true)).toBe(false);
  });
});
