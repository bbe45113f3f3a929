// One tag in the tag list: its name, what it costs or why it is off, a threshold and a hide switch.
// The switch is a real checkbox drawn by base.css' .switch, like Switch, but laid out in the row's grid.
import type { PersonalTagSummary } from '../messaging/background-offscreen';
import type { TagRule } from '../settings/schema';
import { i18n } from '#i18n';
import { type AnyTagSpec, isTagId, tagLabel } from '../tags/vocabulary';
import { percent } from '../util/percent';
import { toThreshold } from './status-text';
import { domId, tagNote, tagThresholdText } from './tag-view';

export interface TagRowProps {
  spec: AnyTagSpec;
  rule: TagRule;
  onHide: (hide: boolean) => void;
  /** Every movement of the threshold (the caller shows it at once and debounces the write). */
  onThreshold: (threshold: number) => void;
  /** The threshold was let go: a good moment to write. */
  onCommit: () => void;
  /** For a tag learned from feedback: what the personal model's last training found. */
  personal?: PersonalTagSummary;
  /** Whose score the rule reads (tag-view's tagScorer); 'none' freezes the row. */
  scorer: 'builtin' | 'trained' | 'none';
  /** The trained model's name, for the note when it scores the tag. */
  trainedName?: string;
  /** The useDetectors setting: off, a detector tag's note says its head alone scores it. */
  detectorsOn?: boolean;
}

/** The name people see: a vocabulary tag's in their language, a user tag's as they wrote it. */
const labelOf = (spec: AnyTagSpec) => (isTagId(spec.id) ? tagLabel(spec.id) : spec.label);

export function TagRow({ spec, rule, onHide, onThreshold, onCommit, personal, scorer, trainedName, detectorsOn = true }: TagRowProps) {
  const { id } = spec;
  const label = labelOf(spec);
  const hideId = `tag-${domId(id)}-hide`;
  const thresholdId = `tag-${domId(id)}-threshold`;
  const noteId = `tag-${domId(id)}-note`;
  const note =
    scorer === 'trained'
      ? i18n.t('tagList.scoredByTrained', [trainedName ?? i18n.t('tagList.trainedModel')])
      : tagNote(spec, personal, detectorsOn);
  const frozen = scorer === 'none';
  const threshold = rule.threshold ?? spec.defaultThreshold;
  const text = tagThresholdText(threshold);
  return (
    <li class={`tag-row${frozen ? ' is-frozen' : ''}${rule.hide ? ' is-on' : ''}`} data-tag={id}>
      <label class="tag-name" for={hideId}>
        {label}
      </label>
      <div class="tag-threshold">
        <input
          type="range"
          id={thresholdId}
          data-testid={thresholdId}
          min={0}
          max={1}
          step={0.05}
          value={threshold}
          disabled={frozen || !rule.hide}
          aria-label={i18n.t('tagList.hideWhenAtLeast', [label])}
          aria-valuetext={percent(threshold)}
          onInput={(e) => {
            const next = toThreshold(e.currentTarget.value);
            if (next !== null) onThreshold(next);
          }}
          onChange={onCommit}
        />
        <span class="tag-threshold-text" id={`${thresholdId}-text`} aria-hidden="true">
          {text}
        </span>
      </div>
      <span class="switch tag-switch">
        <input
          type="checkbox"
          role="switch"
          id={hideId}
          data-testid={hideId}
          checked={rule.hide}
          disabled={frozen}
          aria-label={i18n.t('tagList.hideTag', [label])}
          aria-describedby={note === null ? undefined : noteId}
          onChange={(e) => onHide(e.currentTarget.checked)}
        />
        <span class="switch-track" aria-hidden="true" />
      </span>
      {note !== null && (
        <span class="tag-note" id={noteId}>
          {note}
        </span>
      )}
    </li>
  );
}

/** The NSFW tag's row: its threshold is the sensitivity slider's, so it only reports it. */
export function SliderTagRow({ spec, threshold }: { spec: AnyTagSpec; threshold: number }) {
  return (
    <li class="tag-row is-slider" data-tag={spec.id}>
      <span class="tag-name">{labelOf(spec)}</span>
      <div class="tag-threshold">
        <span class="tag-threshold-text" id={`tag-${spec.id}-threshold-text`}>
          {tagThresholdText(threshold)}
        </span>
      </div>
      <span class="tag-note" id={`tag-${spec.id}-note`}>
        {i18n.t('tagList.setBySlider')}
      </span>
    </li>
  );
}
