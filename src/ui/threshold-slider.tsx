// The NSFW sensitivity control. The stored value is the cover threshold (0..1), shown as a
// percentage; the left end is "strict" because a lower threshold covers more.
import { i18n } from '#i18n';
import { thresholdText, toThreshold } from './status-text';

export interface ThresholdSliderProps {
  value: number;
  /** Every movement (the caller shows it at once and debounces the write). */
  onInput: (threshold: number) => void;
  /** The user let go (pointer up, or a key press): a good moment to write immediately. */
  onCommit: () => void;
  id?: string;
}

export function ThresholdSlider({ value, onInput, onCommit, id = 'nsfw-threshold' }: ThresholdSliderProps) {
  const text = thresholdText(value);
  return (
    <div class="threshold">
      <label class="threshold-caption" for={id} id={`${id}-caption`}>
        {text}
      </label>
      <input
        type="range"
        id={id}
        data-testid={id}
        min={0}
        max={1}
        step={0.01}
        value={value}
        aria-valuetext={text}
        aria-describedby={`${id}-hint`}
        onInput={(e) => {
          const next = toThreshold(e.currentTarget.value);
          if (next !== null) onInput(next);
        }}
        onChange={onCommit}
      />
      <div class="threshold-ends" aria-hidden="true">
        <span>{i18n.t('slider.strict')}</span>
        <span>{i18n.t('slider.relaxed')}</span>
      </div>
      <p class="hint" id={`${id}-hint`}>
        {value === 0 ? i18n.t('slider.coversAll') : i18n.t('slider.lowerIsStricter')}
      </p>
    </div>
  );
}
