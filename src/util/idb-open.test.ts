import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { reopening } from './idb-open';

function counter() {
  const opened: { closed: boolean; lost: () => void }[] = [];
  const open = async (lost: () => void) => {
    const connection = {
      closed: false,
      lost,
      close() {
        connection.closed = true;
      },
    };
    opened.push(connection);
    return connection;
  };
  return { opened, open };
}

describe('reopening', () => {
  it('opens once, shares the connection, and opens again after it is lost', async () => {
    const { opened, open } = counter();
    const db = reopening(open);
    const first = await db.get();
    expect(await db.get()).toBe(first);
    first.lost();
    const second = await db.get();
    expect(second).not.toBe(first);
    expect(opened).toHaveLength(2);
    // A late "lost" from the first connection does not drop the second.
    first.lost();
    expect(await db.get()).toBe(second);
  });

  it('does not keep a failed open', async () => {
    let fail = true;
    const db = reopening(async () => {
      if (fail) throw new Error('no room');
      return { close: () => undefined };
    });
    await expect(db.get()).rejects.toThrow('no room');
    fail = false;
    await expect(db.get()).resolves.toBeDefined();
  });

  it('closes the connection for good', async () => {
    const { opened, open } = counter();
    const db = reopening(open);
    await db.get();
    db.close();
    await Promise.resolve();
    expect(opened[0]?.closed).toBe(true);
    await expect(db.get()).rejects.toThrow('The database is closed');
  });
});
