import { describe, expect, it } from 'vitest';
import { createTrainingScheduler } from './training-scheduler';

function setup(trainMs = 0) {
  let flag = false;
  const runs: number[] = [];
  const scheduler = createTrainingScheduler({
    delayMs: 20,
    dirty: {
      get: async () => flag,
      set: async (d) => {
        flag = d;
      },
    },
    train: async () => {
      runs.push(Date.now());
      await new Promise((r) => setTimeout(r, trainMs));
    },
  });
  return { scheduler, runs, isDirty: () => flag, setDirty: (d: boolean) => (flag = d) };
}

describe('training scheduler', () => {
  it('trains once after a burst of changes, and clears the dirty flag', async () => {
    const { scheduler, runs, isDirty } = setup();
    for (let i = 0; i < 5; i++) scheduler.schedule();
    expect(isDirty()).toBe(true);
    await scheduler.settled();
    expect(runs).toHaveLength(1);
    expect(isDirty()).toBe(false);
  });

  it('trains again when marks change while a training runs', async () => {
    const { scheduler, runs } = setup(60);
    scheduler.schedule();
    await new Promise((r) => setTimeout(r, 40)); // training is running now
    scheduler.schedule();
    await new Promise((r) => setTimeout(r, 30));
    await scheduler.settled();
    expect(runs).toHaveLength(2);
  });

  it('resumes a training the stopped service worker owed, and not otherwise', async () => {
    const clean = setup();
    await clean.scheduler.resume();
    await clean.scheduler.settled();
    expect(clean.runs).toHaveLength(0);
    const owed = setup();
    owed.setDirty(true);
    await owed.scheduler.resume();
    await owed.scheduler.settled();
    expect(owed.runs).toHaveLength(1);
  });

  it('survives a failing training', async () => {
    const { scheduler } = createTrainingSchedulerFailing();
    scheduler.schedule();
    await scheduler.settled();
  });
});

function createTrainingSchedulerFailing() {
  return {
    scheduler: createTrainingScheduler({
      delayMs: 5,
      dirty: { get: async () => false, set: async () => {} },
      train: async () => {
        throw new Error('offscreen gone');
      },
    }),
  };
}
