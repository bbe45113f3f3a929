import { describe, expect, it } from 'vitest';
import { modelWorkerCount } from './worker-count';

describe('modelWorkerCount', () => {
  it.each([
    { setting: 0, cores: 1, want: 1 },
    { setting: 0, cores: 2, want: 1 },
    { setting: 0, cores: 4, want: 3 },
    { setting: 0, cores: 64, want: 8 },
    { setting: 2, cores: 2, want: 2 },
    { setting: 3, cores: 1, want: 3 },
    { setting: 20, cores: 4, want: 8 },
  ])('automatic keeps one core for the page: setting $setting on $cores cores -> $want', ({ setting, cores, want }) => {
    expect(modelWorkerCount(setting, cores)).toBe(want);
  });
});
