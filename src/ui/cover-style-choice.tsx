// The cover style as three radio buttons (blurred, a grey tile, hidden), written at once. Shared by
// the options page and the first-run page.
import { i18n } from '#i18n';
import { COVER_STYLES, type CoverStyle } from '../settings/schema';
import type { SettingsControls } from './use-settings';

const TEXT: Record<CoverStyle, () => { label: string; note: string }> = {
  blur: () => ({ label: i18n.t('coverStyle.blur'), note: i18n.t('coverStyle.blurNote') }),
  tile: () => ({ label: i18n.t('coverStyle.tile'), note: i18n.t('coverStyle.tileNote') }),
  hide: () => ({ label: i18n.t('coverStyle.hide'), note: i18n.t('coverStyle.hideNote') }),
};

export function CoverStyleChoice({
  current,
  save,
  disabled = false,
}: {
  current: CoverStyle | null;
  save: SettingsControls['save'];
  disabled?: boolean;
}) {
  return (
    <fieldset class="choices" id="cover-style">
      <legend>{i18n.t('coverStyle.legend')}</legend>
      {COVER_STYLES.map((style) => {
        const { label, note } = TEXT[style]();
        return (
          <label class="choice" for={`cover-style-${style}`} key={style}>
            <input
              type="radio"
              name="cover-style"
              id={`cover-style-${style}`}
              data-testid={`cover-style-${style}`}
              checked={current === style}
              disabled={disabled}
              onChange={() => save({ coverStyle: style })}
            />
            <span>
              <strong>{label}</strong> — {note}
            </span>
          </label>
        );
      })}
    </fieldset>
  );
}
