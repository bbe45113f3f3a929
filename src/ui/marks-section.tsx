// "Your marks" on the options page: the marked images newest first, filtered by mark and by tag, a
// page of cards at a time.
import { i18n } from '#i18n';
import { useState } from 'preact/hooks';
import { isAnyTagId, type AnyTagId, type CustomTag, tagLabel } from '../tags/vocabulary';
import { MarkCard } from './mark-card';
import { MARK_FILTERS, imageCount, isMarkFilter, markFilterLabel, matchesFilter, tagsIn, type MarkFilter } from './mark-view';
import './marks.css';
import type { MarksControls } from './use-marks';

/** Cards shown at first and added by "Show more": enough to browse, few enough to render quickly. */
export const MARKS_PAGE_SIZE = 200;

export function MarksSection({ marks, customTags = [] }: { marks: MarksControls; customTags?: readonly CustomTag[] }) {
  const [filter, setFilter] = useState<MarkFilter>('all');
  const [tag, setTag] = useState<AnyTagId | null>(null);
  const [limit, setLimit] = useState(MARKS_PAGE_SIZE);
  const { records, error } = marks;

  const present = records ? tagsIn(records) : [];
  // A tag filter whose last image lost the tag falls back to "any tag".
  const tagFilter = tag !== null && present.includes(tag) ? tag : null;
  const matching = records ? records.filter((r) => matchesFilter(r, filter, tagFilter)) : [];
  const shown = matching.slice(0, limit);

  return (
    <section class="card" aria-labelledby="marks-heading">
      <h2 id="marks-heading">{i18n.t('options.marks.heading')}</h2>
      <p class="hint">{i18n.t('options.marks.hint')}</p>
      {error && (
        <p class="error" role="alert" id="marks-error">
          {error}
        </p>
      )}
      <div class="row marks-filters">
        <label class="field-inline" for="marks-filter">
          <span>{i18n.t('options.marks.show')}</span>
          <select
            id="marks-filter"
            onChange={(e) => {
              const value = e.currentTarget.value;
              if (isMarkFilter(value)) {
                setFilter(value);
                setLimit(MARKS_PAGE_SIZE);
              }
            }}
          >
            {MARK_FILTERS.map((f) => (
              <option key={f} value={f} selected={f === filter}>
                {markFilterLabel(f)}
              </option>
            ))}
          </select>
        </label>
        <label class="field-inline" for="marks-tag-filter">
          <span>{i18n.t('options.marks.tag')}</span>
          <select
            id="marks-tag-filter"
            disabled={present.length === 0}
            onChange={(e) => {
              const value = e.currentTarget.value;
              setTag(isAnyTagId(value) ? value : null);
              setLimit(MARKS_PAGE_SIZE);
            }}
          >
            <option value="" selected={tagFilter === null}>
              {i18n.t('options.marks.anyTag')}
            </option>
            {present.map((id) => (
              <option key={id} value={id} selected={id === tagFilter}>
                {tagLabel(id, customTags)}
              </option>
            ))}
          </select>
        </label>
        {records && records.length > 0 && (
          <span class="hint" id="marks-count" aria-live="polite">
            {shown.length < matching.length
              ? i18n.t('options.marks.showing', [shown.length, matching.length])
              : imageCount(matching.length)}
          </span>
        )}
      </div>
      {records === null ? (
        !error && <p class="hint">{i18n.t('options.loading')}</p>
      ) : matching.length === 0 ? (
        <p class="hint" id="marks-empty">
          {records.length === 0 ? i18n.t('options.marks.none') : i18n.t('options.marks.noMatch')}
        </p>
      ) : null}
      <ul class="marks-grid" id="marks-grid" aria-labelledby="marks-heading">
        {shown.map((record) => (
          <MarkCard
            key={record.url}
            record={record}
            customTags={customTags}
            onChange={(url, action) => void marks.change(url, action)}
            onDelete={(url) => void marks.remove(url)}
          />
        ))}
      </ul>
      {shown.length < matching.length && (
        <button type="button" id="marks-more" onClick={() => setLimit((n) => n + MARKS_PAGE_SIZE)}>
          {i18n.t('options.marks.more', [matching.length - shown.length])}
        </button>
      )}
    </section>
  );
}
