// The words the popup shows, as pure functions so they are tested without a DOM.
import { i18n } from '#i18n';
import type { ModelStatus } from '../messaging/background-offscreen';
import { isModelId, modelLabel } from '../model/catalog';
import { hostOf } from '../settings/site-rules';
import { percent } from '../util/percent';

/** The slider's caption and aria-valuetext. */
export function thresholdText(threshold: number): string {
  return i18n.t('slider.caption', [percent(threshold)]);
}

/** The slider's value as stored: two decimals, inside 0..1, so 0.7000000001 never reaches storage. */
export function toThreshold(raw: string | number): number | null {
  const value = typeof raw === 'number' ? raw : Number.parseFloat(raw);
  if (!Number.isFinite(value)) return null;
  return Math.min(1, Math.max(0, Math.round(value * 100) / 100));
}

export function modelName(status: ModelStatus): string {
  return isModelId(status.model) ? modelLabel(status.model) : status.model;
}

/** Starts with the state's own word, so tests and screen readers can rely on it. */
export function modelStateText(status: ModelStatus): string {
  switch (status.state) {
    case 'idle':
      return i18n.t('common.state.idle');
    case 'loading':
      return i18n.t('common.state.loading');
    case 'ready':
      return i18n.t('common.state.ready');
    case 'failed':
      return status.error ? i18n.t('common.state.failedWith', [status.error]) : i18n.t('common.state.failed');
  }
}

/**
 * The backend (with its cores, or the batch size it measured at load) and why; then, after the model
 * host reset itself, what happened and what it did.
 */
export function backendText(status: ModelStatus): string {
  const name = backendName(status);
  const backend = name === null ? status.reason || i18n.t('popup.backendNotChosen') : status.reason ? `${name} (${status.reason})` : name;
  return status.recovery ? i18n.t('popup.backendRecovered', [backend, status.recovery]) : backend;
}

/** The backend with its cores or its measured batch size ("wasm on 2 cores"), null before one is chosen. */
export function backendName(status: ModelStatus): string | null {
  if (status.backend === null) return null;
  if (status.workers) return i18n.t('popup.backendCores', [status.backend, String(status.workers)]);
  return status.batch ? i18n.t('popup.backendBatches', [status.backend, String(status.batch.size)]) : status.backend;
}

export type PageKind = 'web' | 'file' | 'other';

/** Whether a page can have a site rule, and if not, why not (see site-rules.ts). */
export function pageKind(url: string): PageKind {
  if (hostOf(url) !== '') return 'web';
  return /^file:/i.test(url) ? 'file' : 'other';
}

export function pageNote(kind: Exclude<PageKind, 'web'>): string {
  return kind === 'file' ? i18n.t('popup.fileNote') : i18n.t('popup.browserPageNote');
}
