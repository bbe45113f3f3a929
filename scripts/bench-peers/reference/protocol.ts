// The reference extension's two messages: content script -> service worker, service worker -> offscreen.

/** The storage key (chrome.storage.local) naming the backend the offscreen document starts nsfwjs on. */
export const BACKEND_KEY = 'backend';
export type PeerBackend = 'webgl' | 'wasm';

export interface ClassifyRequest {
  type: 'peer-classify';
  url: string;
}

export interface OffscreenRequest {
  type: 'peer-offscreen-classify';
  url: string;
}

/** nsfwjs's verdict on one image, or why there is none. */
export type PeerAnswer = { nsfw: boolean; score: number } | { error: string };

/** Hentai + Porn + Sexy at or above this covers the image (Megane's default nsfwThreshold). */
export const THRESHOLD = 0.7;

export function isClassifyRequest(message: unknown): message is ClassifyRequest {
  const m = message as Partial<ClassifyRequest> | null;
  return m?.type === 'peer-classify' && typeof m.url === 'string';
}

export function isOffscreenRequest(message: unknown): message is OffscreenRequest {
  const m = message as Partial<OffscreenRequest> | null;
  return m?.type === 'peer-offscreen-classify' && typeof m.url === 'string';
}
