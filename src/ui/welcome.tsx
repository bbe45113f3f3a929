// The first-run page (entrypoints/welcome), opened once on install (src/background/first-run.ts) and
// again from the options page: what Megane does and does not do, the privacy promise, a strictness
// preset (settings/strictness.ts), and how to pin the button. Every choice is written at once, like the
// options page's.
import { browser } from 'wxt/browser';
import { STRICTNESS, STRICTNESS_ORDER, strictnessOf } from '../settings/strictness';
import { useSettings } from './use-settings';

export function Welcome() {
  const { settings, save, error } = useSettings();
  const current = settings === null ? null : strictnessOf(settings.nsfwThreshold);

  return (
    <main class="options welcome">
      <header class="welcome-header">
        <img src="/icon/128.png" alt="" width={48} height={48} />
        <h1>Welcome to Megane</h1>
      </header>

      <section class="card" aria-labelledby="does-heading">
        <h2 id="does-heading">What it does</h2>
        <ul class="welcome-list">
          <li>Every image on the pages you visit is blurred the moment it appears, until Megane has checked it.</li>
          <li>Then it is shown, or stays covered with a label saying why ("NSFW 87%"). Click a cover to see the image.</li>
          <li>Besides NSFW, you can hide images by what they show (cats, drawings, faces, your own tags) from the popup.</li>
          <li>Mark images it got wrong (hover an image, or right-click it): Megane learns from your marks on this computer.</li>
        </ul>
      </section>

      <section class="card" aria-labelledby="doesnt-heading">
        <h2 id="doesnt-heading">What it does not do</h2>
        <ul class="welcome-list">
          <li>It never sends an image, an address or a verdict anywhere: it downloads the pages' own images and nothing else.</li>
          <li>It is not a lock: anyone at this browser can switch it off or remove it.</li>
          <li>It can be wrong both ways. A higher strictness covers more, ordinary pictures included.</li>
        </ul>
      </section>

      <section class="card" aria-labelledby="privacy-heading">
        <h2 id="privacy-heading">Privacy</h2>
        <p id="privacy">
          Megane checks every image on your own computer, with models that came with it. What you browse, what it decided and what you
          marked stay in this browser; nothing is uploaded, there is no account and no analytics.
        </p>
      </section>

      <section class="card" aria-labelledby="strictness-heading">
        <h2 id="strictness-heading">How strict</h2>
        <fieldset class="choices" aria-describedby="strictness-note">
          <legend class="visually-hidden">How strict</legend>
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
                <strong>{STRICTNESS[level].label}</strong> — {STRICTNESS[level].note}
              </span>
            </label>
          ))}
        </fieldset>
        <p class="hint" id="strictness-note">
          {current === null && settings !== null
            ? `Your own setting: covers at an NSFW score of ${Math.round(settings.nsfwThreshold * 100)}% or more.`
            : 'The popup’s slider sets any level in between.'}
        </p>
        <p class="hint">Covered images are blurred, with a label saying why; the label's button shows the image.</p>
      </section>

      <section class="card" aria-labelledby="pin-heading">
        <h2 id="pin-heading">Keep the button in sight</h2>
        <p>
          Click the puzzle-piece icon at the right of the address bar, then the pin next to Megane. Its button counts the images covered on
          each tab, turns grey where Megane is off, and opens the popup: the switch for the site you are on, the slider and your tag rules.
        </p>
      </section>

      {error && (
        <p class="error" role="alert">
          Could not save: {error}
        </p>
      )}

      <div class="row welcome-actions">
        <button type="button" id="welcome-options" onClick={() => void browser.runtime.openOptionsPage()}>
          All settings
        </button>
        <button type="button" id="welcome-done" class="primary" onClick={() => window.close()}>
          Done
        </button>
      </div>
    </main>
  );
}
