// A fast, stable 32-bit string hash for splits, shuffles and short ids: FNV-1a over UTF-16 code units,
// then murmur3's finaliser to spread the bits. Pure, no dependencies, the same on every machine.

export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Whether `key` is in the held-out share `fraction` (0..1) of keys, for this seed. A pure hash of seed and
 * key, so a key stays on its side across runs and machines, and a key held out at some fraction is also
 * held out at every larger fraction. The personal heads' held-out set and model3's validation split.
 */
export function isHeldOut(key: string, fraction: number, seed = ''): boolean {
  if (!(fraction >= 0 && fraction <= 1)) throw new Error(`isHeldOut: fraction must be in 0..1, got ${fraction}`);
  return hash32(`${seed}\u0000${key}`) / 2 ** 32 < fraction;
}
