import { describe, expect, it } from 'vitest';
import type { TabsActiveChanges } from '../messaging/background-offscreen';
import { createActiveTabTracker } from './active-tab-tracker';

describe('createActiveTabTracker', () => {
  it('says which tab became active and which stopped being, per window', () => {
    const told: TabsActiveChanges[] = [];
    const tracker = createActiveTabTracker((c) => told.push(c));
    tracker.seed([
      { id: 1, windowId: 10 },
      { id: 5, windowId: 20 },
    ]);
    tracker.activated(2, 10);
    tracker.activated(2, 10); // no change
    tracker.activated(6, 20);
    tracker.activated(3, 30); // a window it had not seen
    expect(told).toEqual([{ 1: false, 2: true }, { 5: false, 6: true }, { 3: true }]);
  });

  it('forgets a closed window', () => {
    const told: TabsActiveChanges[] = [];
    const tracker = createActiveTabTracker((c) => told.push(c));
    tracker.activated(1, 10);
    tracker.windowClosed(10);
    tracker.activated(4, 10);
    expect(told).toEqual([{ 1: true }, { 4: true }]);
  });
});
