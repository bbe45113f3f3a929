// The lock's prompt: a change that weakens the filter was held back (src/lock/locked-write.ts). It
// says what the change would do; the PIN applies it now, "Apply in …" queues it for after the
// cool-down (listed on the options page, where it can be cancelled), Cancel drops it. Shown by the
// popup, the options page and the first-run page over their content.
import { i18n } from '#i18n';
import { useState } from 'preact/hooks';
import { applyAfterCoolDown, applyWithPin, canWait, type LockedChange } from '../lock/locked-write';
import { changeTexts } from '../lock/weakening';
import type { Settings } from '../settings/schema';
import { errorText } from '../util/checks';
import { coolDownText } from './lock-text';
import { PinField } from './pin-field';

export function LockPrompt({ held, customTags, onDone }: { held: LockedChange; customTags: Settings['customTags']; onDone: () => void }) {
  const [pin, setPin] = useState('');
  const [state, setState] = useState<'idle' | 'busy' | 'wrong' | { failed: string }>('idle');
  const changes = changeTexts(held, customTags);

  const submit = async (event: Event) => {
    event.preventDefault();
    setState('busy');
    try {
      if (await applyWithPin(held, pin)) onDone();
      else {
        setPin('');
        setState('wrong');
      }
    } catch (e) {
      setState({ failed: errorText(e) });
    }
  };
  const later = async () => {
    setState('busy');
    try {
      await applyAfterCoolDown(held);
      onDone();
    } catch (e) {
      setState({ failed: errorText(e) });
    }
  };

  return (
    <div class="lock-backdrop">
      <div
        class="lock-prompt card"
        role="dialog"
        aria-modal="true"
        aria-labelledby="lock-heading"
        id="lock-prompt"
        data-testid="lock-prompt"
      >
        <h2 id="lock-heading">{i18n.t('lock.prompt.heading')}</h2>
        <p class="hint">{i18n.t('lock.prompt.explain')}</p>
        <ul id="lock-changes">
          {changes.map((text) => (
            <li key={text}>{text}</li>
          ))}
        </ul>
        <form onSubmit={submit} class="row">
          <PinField
            id="lock-pin"
            label={i18n.t('lock.prompt.pin')}
            value={pin}
            onInput={setPin}
            autoComplete="off"
            autoFocus
            invalid={state === 'wrong'}
            describedBy={state === 'wrong' ? 'lock-wrong' : undefined}
          />
          <button type="submit" class="primary" id="lock-apply" disabled={state === 'busy' || pin === ''}>
            {i18n.t('lock.prompt.apply')}
          </button>
        </form>
        {state === 'wrong' && (
          <p class="error" role="alert" id="lock-wrong">
            {i18n.t('lock.prompt.wrong')}
          </p>
        )}
        {typeof state === 'object' && (
          <p class="error" role="alert">
            {i18n.t('common.couldNotSave', [state.failed])}
          </p>
        )}
        <div class="row">
          {canWait(held) && (
            <button type="button" id="lock-later" data-testid="lock-later" disabled={state === 'busy'} onClick={() => void later()}>
              {i18n.t('lock.prompt.later', [coolDownText(held.lock.coolDownMinutes)])}
            </button>
          )}
          <button type="button" id="lock-cancel" data-testid="lock-cancel" onClick={onDone}>
            {i18n.t('lock.prompt.cancel')}
          </button>
        </div>
      </div>
    </div>
  );
}
