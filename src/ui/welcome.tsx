// The first-run page (entrypoints/welcome), opened once on install (src/background/first-run.ts) and
// again from the options page: what Megane does and does not do, the privacy promise, a strictness
// preset (settings/strictness.ts), and how to pin the button. Every choice is written at once, like the
// options page's.
import { i18n } from '#i18n';
import { browser } from 'wxt/browser';
import { STRICTNESS, STRICTNESS_ORDER, strictnessOf, strictnessText } from '../settings/strictness';
import { CoverStyleChoice } from './cover-style-choice';
import { LockPrompt } from './lock-prompt';
import { useSettings } from './use-settings';

export function Welcome() {
  const { settings, save, error, held, holdBack } = useSettings();
  const current = settings === null ? null : strictnessOf(settings.nsfwThreshold);

  return (
    <main class="options welcome">
      <header class="welcome-header">
        <img src="/icon/128.png" alt="" width={48} height={48} />
        <h1>{i18n.t('welcome.title')}</h1>
      </header>

      <ListCard
        id="does"
        heading={i18n.t('welcome.doesHeading')}
        items={[i18n.t('welcome.does1'), i18n.t('welcome.does2'), i18n.t('welcome.does3'), i18n.t('welcome.does4')]}
      />
      <ListCard
        id="doesnt"
        heading={i18n.t('welcome.doesntHeading')}
        items={[i18n.t('welcome.doesnt1'), i18n.t('welcome.doesnt2'), i18n.t('welcome.doesnt3')]}
      />

      <section class="card" aria-labelledby="privacy-heading">
        <h2 id="privacy-heading">{i18n.t('welcome.privacyHeading')}</h2>
        <p id="privacy">{i18n.t('welcome.privacy')}</p>
      </section>

      <section class="card" aria-labelledby="strictness-heading">
        <h2 id="strictness-heading">{i18n.t('welcome.strictnessHeading')}</h2>
        <fieldset class="choices" aria-describedby="strictness-note">
          <legend class="visually-hidden">{i18n.t('welcome.strictnessHeading')}</legend>
          {STRICTNESS_ORDER.map((level) => (
            <label class="choice" for={`strictness-${level}`} key={level}>
              <input
                type="radio"
                name="strictness"
                id={`strictness-${level}`}
                data-testid={`strictness-${level}`}
                checked={current === level}
                disabled={settings === null}
                onChange={() => save({ nsfwThreshold: STRICTNESS[level].nsfwThreshold })}
              />
              <span>
                <strong>{strictnessText(level).label}</strong> — {strictnessText(level).note}
              </span>
            </label>
          ))}
        </fieldset>
        <p class="hint" id="strictness-note">
          {current === null && settings !== null
            ? i18n.t('welcome.ownSetting', [`${Math.round(settings.nsfwThreshold * 100)}%`])
            : i18n.t('welcome.inBetween')}
        </p>
        <CoverStyleChoice current={settings?.coverStyle ?? null} save={save} disabled={settings === null} />
        <p class="hint">{i18n.t('welcome.coverHint')}</p>
      </section>

      <section class="card" aria-labelledby="pin-heading">
        <h2 id="pin-heading">{i18n.t('welcome.pinHeading')}</h2>
        <p>{i18n.t('welcome.pin')}</p>
      </section>

      {error && (
        <p class="error" role="alert">
          {i18n.t('common.couldNotSave', [error])}
        </p>
      )}

      {held && settings && <LockPrompt held={held} customTags={settings.customTags} onDone={() => holdBack(null)} />}

      <div class="row welcome-actions">
        <button type="button" id="welcome-options" onClick={() => void browser.runtime.openOptionsPage()}>
          {i18n.t('welcome.allSettings')}
        </button>
        <button type="button" id="welcome-done" class="primary" onClick={() => window.close()}>
          {i18n.t('welcome.done')}
        </button>
      </div>
    </main>
  );
}

/** A card with a heading and a bulleted list. */
function ListCard({ id, heading, items }: { id: string; heading: string; items: string[] }) {
  return (
    <section class="card" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{heading}</h2>
      <ul class="welcome-list">
        {items.map((item) => (
          <li key={item}>{item}</li>
        ))}
      </ul>
    </section>
  );
}
