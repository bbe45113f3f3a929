// One marked image on the options page: its thumbnail, its marks as words, where and when it was
// marked, and controls to change or delete them.
import { i18n } from '#i18n';
import { useEffect, useState } from 'preact/hooks';
import type { MarkAction, MarkRecord, MarkThumbnail, Verdict } from '../marks/mark-types';
import { isAnyTagId, type CustomTag, tagLabel } from '../tags/vocabulary';
import { addableTags, isoDate, markChips, marksKey, pageHost } from './mark-view';

export interface MarkCardProps {
  record: MarkRecord;
  onChange: (url: string, action: MarkAction) => void;
  onDelete: (url: string) => void;
  /** The user's own tags, offered and named beside the vocabulary's. */
  customTags?: readonly CustomTag[];
}

export function MarkCard({ record, onChange, onDelete, customTags = [] }: MarkCardProps) {
  const { url, marks } = record;
  const key = marksKey(marks);
  const host = pageHost(record.pageUrl);
  const act = (action: MarkAction) => onChange(url, action);
  const setVerdict = (value: string) => {
    const verdict: Verdict | null = value === 'hide' || value === 'show' ? value : null;
    if (verdict !== marks.verdict) act({ kind: 'verdict', verdict });
  };

  return (
    <li class="mark-card" data-url={url} data-marks={key}>
      <Thumbnail thumbnail={record.thumbnail} alt={i18n.t('options.card.image', [host])} />
      <ul class="mark-chips" aria-label={i18n.t('options.card.marks')}>
        {markChips(marks, customTags).map((chip) => (
          <li key={chip.key} class="mark-chip" data-mark={chip.key}>
            {chip.label}
            {chip.tag && (
              <button
                type="button"
                class="chip-remove"
                aria-label={i18n.t('options.card.removeTag', [chip.label])}
                onClick={() => chip.tag && act({ kind: 'tag', tag: chip.tag, on: false })}
              >
                ×
              </button>
            )}
          </li>
        ))}
      </ul>
      <p class="mark-meta">
        <a class="mark-host" href={record.pageUrl} target="_blank" rel="noopener noreferrer" title={record.pageUrl}>
          {host}
        </a>{' '}
        <time dateTime={new Date(record.updatedAt).toISOString()} title={new Date(record.updatedAt).toLocaleString()}>
          {isoDate(new Date(record.updatedAt))}
        </time>
      </p>
      <div class="mark-actions">
        <button type="button" class="mark-like" aria-pressed={marks.like} onClick={() => act({ kind: 'like' })}>
          {i18n.t('options.card.like')}
        </button>
        <button type="button" class="mark-dislike" aria-pressed={marks.dislike} onClick={() => act({ kind: 'dislike' })}>
          {i18n.t('options.card.dislike')}
        </button>
        {/* Keyed by the marks: a fresh element after each change, so the browser cannot keep showing an old choice. */}
        <select
          key={`verdict-${key}`}
          class="mark-verdict"
          aria-label={i18n.t('options.card.correction')}
          onChange={(e) => setVerdict(e.currentTarget.value)}
        >
          <option value="" selected={marks.verdict === null}>
            {i18n.t('options.card.noCorrection')}
          </option>
          <option value="hide" selected={marks.verdict === 'hide'}>
            {i18n.t('options.card.shouldHide')}
          </option>
          <option value="show" selected={marks.verdict === 'show'}>
            {i18n.t('options.card.shouldShow')}
          </option>
        </select>
        <select
          key={`tag-${key}`}
          class="mark-add-tag"
          aria-label={i18n.t('options.card.addTag')}
          onChange={(e) => {
            const tag = e.currentTarget.value;
            if (isAnyTagId(tag)) act({ kind: 'tag', tag, on: true });
          }}
        >
          <option value="" selected>
            {i18n.t('options.card.addTagChoice')}
          </option>
          {addableTags(marks, customTags).map((tag) => (
            <option key={tag} value={tag}>
              {tagLabel(tag, customTags)}
            </option>
          ))}
        </select>
        <button type="button" class="mark-delete" aria-label={i18n.t('options.card.deleteLabel', [host])} onClick={() => onDelete(url)}>
          {i18n.t('options.card.delete')}
        </button>
      </div>
    </li>
  );
}

function Thumbnail({ thumbnail, alt }: { thumbnail: MarkThumbnail | null; alt: string }) {
  const src = useObjectUrl(thumbnail);
  if (thumbnail === null) {
    return (
      <div class="mark-thumb no-thumbnail" role="img" aria-label={i18n.t('options.card.noThumbnailLabel', [alt])}>
        {i18n.t('options.card.noThumbnail')}
      </div>
    );
  }
  return (
    <img
      class="mark-thumb"
      src={src ?? undefined}
      alt={alt}
      width={thumbnail.width}
      height={thumbnail.height}
      loading="lazy"
      decoding="async"
    />
  );
}

/** An object URL for the thumbnail's bytes while it is shown; revoked when it changes or the card goes. */
function useObjectUrl(thumbnail: MarkThumbnail | null): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (thumbnail === null) {
      setUrl(null);
      return;
    }
    const made = URL.createObjectURL(new Blob([thumbnail.bytes as Uint8Array<ArrayBuffer>], { type: thumbnail.type }));
    setUrl(made);
    return () => URL.revokeObjectURL(made);
  }, [thumbnail]);
  return url;
}
