// The options page's lock: set a PIN and a cool-down; while locked, the changes waiting out their
// cool-down (each can be cancelled: cancelling never weakens anything), and removing the lock, which
// goes through the lock's prompt like any weakening change.
import { i18n } from '#i18n';
import { useEffect, useState } from 'preact/hooks';
import {
  COOL_DOWNS,
  loadLock,
  loadPending,
  cancelPending,
  saveLock,
  watchLock,
  watchPending,
  type Lock,
  type PendingChange,
} from '../lock/lock-store';
import { unlockRequest, type LockedChange } from '../lock/locked-write';
import { hashPin, isAcceptablePin } from '../lock/pin-hash';
import { changeTexts } from '../lock/weakening';
import type { Settings } from '../settings/schema';
import { errorText } from '../util/checks';
import { timeText } from '../util/time-text';
import { coolDownText } from './lock-text';
import { PinField } from './pin-field';

function useLockState(): { lock: Lock | null | undefined; pending: PendingChange[] } {
  const [lock, setLock] = useState<Lock | null | undefined>(undefined);
  const [pending, setPending] = useState<PendingChange[]>([]);
  useEffect(() => {
    const controller = new AbortController();
    watchLock(setLock, controller.signal);
    watchPending(setPending, controller.signal);
    void loadLock().then(setLock);
    void loadPending().then(setPending);
    return () => controller.abort();
  }, []);
  return { lock, pending };
}

export function LockSection({
  customTags,
  holdBack,
}: {
  customTags: Settings['customTags'];
  holdBack: (held: LockedChange | null) => void;
}) {
  const { lock, pending } = useLockState();
  return (
    <section class="card" aria-labelledby="lock-section-heading" id="lock-section">
      <h2 id="lock-section-heading">{i18n.t('lock.section.heading')}</h2>
      {lock === undefined ? null : lock === null ? (
        <SetLock />
      ) : (
        <>
          <p id="lock-state" data-testid="lock-state" data-locked="true">
            {lock.coolDownMinutes > 0
              ? i18n.t('lock.section.locked', [coolDownText(lock.coolDownMinutes)])
              : i18n.t('lock.section.lockedPinOnly')}
          </p>
          {pending.length > 0 && (
            <>
              <h3>{i18n.t('lock.section.pendingHeading')}</h3>
              <ul class="pending-list" id="pending-list" data-testid="pending-list">
                {pending.map((p) => (
                  <li key={p.id} class="row">
                    <span>
                      {i18n.t('lock.section.pendingAt', [timeText(p.dueAt)])}{' '}
                      {changeTexts(p, customTags).join(i18n.t('page.listSeparator'))}
                    </span>
                    <button type="button" class="pending-cancel" onClick={() => void cancelPending(p.id)}>
                      {i18n.t('lock.section.cancelPending')}
                    </button>
                  </li>
                ))}
              </ul>
            </>
          )}
          <button type="button" id="unlock" data-testid="unlock" onClick={() => void unlockRequest().then(holdBack)}>
            {i18n.t('lock.section.remove')}
          </button>
        </>
      )}
      <p class="hint">{i18n.t('lock.section.limits')}</p>
    </section>
  );
}

function SetLock() {
  const [pin, setPin] = useState('');
  const [again, setAgain] = useState('');
  const [coolDown, setCoolDown] = useState(60);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    if (!isAcceptablePin(pin)) return setProblem(i18n.t('lock.section.pinLength'));
    if (pin !== again) return setProblem(i18n.t('lock.section.pinMismatch'));
    setBusy(true);
    try {
      await saveLock({ ...(await hashPin(pin)), coolDownMinutes: coolDown });
    } catch (e) {
      setProblem(i18n.t('common.couldNotSave', [errorText(e)]));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="lock-form" onSubmit={submit}>
      <p class="hint">{i18n.t('lock.section.explain')}</p>
      <div class="row">
        <PinField id="lock-new-pin" label={i18n.t('lock.section.pin')} value={pin} onInput={setPin} autoComplete="new-password" />
      </div>
      <div class="row">
        <PinField
          id="lock-new-pin-again"
          label={i18n.t('lock.section.pinAgain')}
          value={again}
          onInput={setAgain}
          autoComplete="new-password"
        />
      </div>
      <div class="row">
        <label for="lock-cool-down">{i18n.t('lock.section.coolDown')}</label>
        <select
          id="lock-cool-down"
          data-testid="lock-cool-down"
          value={coolDown}
          onChange={(e) => setCoolDown(Number(e.currentTarget.value))}
        >
          {COOL_DOWNS.map((m) => (
            <option key={m} value={m}>
              {m === 0 ? i18n.t('lock.section.pinOnly') : coolDownText(m)}
            </option>
          ))}
        </select>
      </div>
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
      <button type="submit" class="primary" id="lock-set" data-testid="lock-set" disabled={busy}>
        {i18n.t('lock.section.set')}
      </button>
    </form>
  );
}
