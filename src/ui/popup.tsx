// The toolbar popup: master switch, this site's switch, the sensitivity slider, the tag rules, this
// tab's counts and the status of the model and its detectors. It only writes settings; everything
// that reacts to them watches storage.
import { i18n } from '#i18n';
import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import type { ModelStatus } from '../messaging/background-offscreen';
import type { PopupStatus } from '../messaging/popup-background';
import { isPaused, togglePause } from '../settings/pause';
import { hostOf, matchingRule, setSiteRule } from '../settings/site-rules';
import { timeText } from '../util/time-text';
import { DETECTORS } from '../tags/vocabulary';
import { backendName, backendText, modelName, modelStateText, pageKind, pageNote } from './status-text';
import { HostAccessWarning } from './host-access';
import { LockPrompt } from './lock-prompt';
import { Switch } from './switch';
import { TagList } from './tag-list';
import { detectorName, detectorStateText, detectorStatus, hidingTags } from './tag-view';
import { ThresholdSlider } from './threshold-slider';
import { useActiveTab } from './use-active-tab';
import { usePopupStatus } from './use-popup-status';
import { useSettings } from './use-settings';

export function Popup() {
  const { settings, save, saveSoon, update, flush, error, held, holdBack } = useSettings();
  const tab = useActiveTab();
  const [allTags, setAllTags] = useState(false);
  // A pause that runs out while the popup is open: draw it again then.
  const [, setNow] = useState(0);
  const pausedUntil = settings?.pausedUntil ?? 0;
  useEffect(() => {
    const left = pausedUntil - Date.now();
    if (left <= 0) return;
    const timer = setTimeout(() => setNow(Date.now()), left + 50);
    return () => clearTimeout(timer);
  }, [pausedUntil]);
  const { status, error: statusError } = usePopupStatus(tab === null ? undefined : tab.id);

  if (settings === null) {
    return (
      <main class="popup" aria-busy="true">
        <h1>Megane</h1>
      </main>
    );
  }

  const url = tab?.url ?? '';
  const host = hostOf(url);
  const kind = pageKind(url);
  const rule = host === '' ? null : matchingRule(host, settings.siteRules);
  // The site switch shows the site's own setting even while the master switch is off, so the user
  // sees what will happen when they turn Megane back on. Local files are filtered (site-rules.ts);
  // browser pages never are, as no content script runs there.
  const siteOn = kind === 'other' ? false : (rule?.on ?? true);
  const inherited = rule !== null && rule.host !== host;
  const tagsOn = hidingTags(settings.tags, settings.customTags).length;
  const paused = isPaused(settings);

  return (
    <main class={`popup${settings.enabled ? '' : ' is-off'}`}>
      <header class="popup-header">
        <h1>Megane</h1>
        <button
          type="button"
          class="link-button pause-button"
          id="pause"
          data-testid="pause"
          disabled={!settings.enabled}
          title={paused ? i18n.t('popup.resumeTitle') : i18n.t('popup.pauseTitle')}
          onClick={() => update((current) => togglePause(current))}
        >
          {paused ? i18n.t('popup.resume') : i18n.t('popup.pause')}
        </button>
        <Switch id="enabled" checked={settings.enabled} onChange={(enabled) => save({ enabled })}>
          <span class="visually-hidden">Megane </span>
          {settings.enabled ? i18n.t('common.on') : i18n.t('common.off')}
        </Switch>
      </header>

      <HostAccessWarning />

      <section class="card" aria-labelledby="site-heading">
        <h2 id="site-heading" class="visually-hidden">
          {i18n.t('popup.siteHeading')}
        </h2>
        <Switch
          id="site-enabled"
          checked={siteOn}
          disabled={kind !== 'web'}
          describedBy="site-note"
          onChange={(on) => kind === 'web' && update((current) => ({ siteRules: setSiteRule(current, host, on) }))}
        >
          {i18n.t('popup.siteSwitch')}
        </Switch>
        <p class="hint" id="site-note">
          {kind === 'web' ? (
            <>
              <span class="host" id="site-host" data-testid="site-host">
                {host}
              </span>
              {inherited && i18n.t(rule.on ? 'popup.inheritedOn' : 'popup.inheritedOff', [rule.host])}
              {!settings.enabled && i18n.t('popup.offEverywhere')}
              {settings.enabled && paused && <span id="paused-until">{i18n.t('popup.pausedUntil', [timeText(settings.pausedUntil)])}</span>}
            </>
          ) : (
            pageNote(kind)
          )}
        </p>
      </section>

      <section class="card card-main" aria-label={i18n.t('popup.sensitivity')}>
        <ThresholdSlider value={settings.nsfwThreshold} onInput={(nsfwThreshold) => saveSoon({ nsfwThreshold })} onCommit={flush} />
      </section>

      <section class="card" aria-labelledby="tags-heading">
        <div class="tag-head">
          <h2 id="tags-heading">{i18n.t('popup.tagsHeading')}</h2>
          <span class="tag-count" id="tag-count">
            {tagsOn === 0 ? i18n.t('popup.tagsNoneOn') : i18n.t('popup.tagsOn', [String(tagsOn)])}
          </span>
        </div>
        {/* The rules that are on; "Add a rule…" opens every tag, so the popup fits the browser's 600 px by default. */}
        {(allTags || tagsOn > 0) && <TagList settings={settings} update={update} saveSoon={saveSoon} flush={flush} onlyOn={!allTags} />}
        <button
          type="button"
          class="link-button"
          id="all-tags"
          data-testid="all-tags"
          aria-expanded={allTags}
          {...(allTags || tagsOn > 0 ? { 'aria-controls': 'tag-list' } : {})}
          onClick={() => setAllTags(!allTags)}
        >
          {allTags ? i18n.t('popup.showOnlyOn') : i18n.t('popup.addRule')}
        </button>
      </section>

      <TabStats status={status} />
      <ModelLine status={status} error={statusError} />

      {error && (
        <p class="error" role="alert">
          {i18n.t('common.couldNotSave', [error])}
        </p>
      )}

      {held && <LockPrompt held={held} customTags={settings.customTags} onDone={() => holdBack(null)} />}

      <footer class="popup-footer">
        <button
          type="button"
          class="link-button"
          id="open-stats"
          data-testid="open-stats"
          title={i18n.t('popup.statsLinkTitle')}
          onClick={() => void browser.tabs.create({ url: browser.runtime.getURL('/options.html#stats') })}
        >
          {i18n.t('popup.statsLink')}
        </button>
        <button type="button" id="open-options" data-testid="open-options" onClick={() => void browser.runtime.openOptionsPage()}>
          {i18n.t('popup.moreSettings')}
        </button>
      </footer>
    </main>
  );
}

function TabStats({ status }: { status: PopupStatus | null }) {
  const stats = status?.tab ?? null;
  const show = (n: number | undefined) => (n === undefined ? '–' : String(n));
  return (
    <section class="card" aria-labelledby="stats-heading">
      <h2 id="stats-heading">{i18n.t('popup.statsHeading')}</h2>
      <dl class="stats">
        <div>
          <dt>{i18n.t('popup.checked')}</dt>
          <dd id="stat-checked" data-testid="stat-checked">
            {show(stats?.checked)}
          </dd>
        </div>
        <div>
          <dt>{i18n.t('popup.covered')}</dt>
          <dd id="stat-covered" data-testid="stat-covered">
            {show(stats?.covered)}
          </dd>
        </div>
        <div>
          <dt>{i18n.t('popup.failed')}</dt>
          <dd id="stat-failed" data-testid="stat-failed">
            {show(stats?.failed)}
          </dd>
        </div>
      </dl>
      {stats !== null && stats.pending > 0 && (
        <p class="hint" id="stat-pending" data-testid="stat-pending">
          {i18n.t('popup.pending', [String(stats.pending)])}
        </p>
      )}
      {status !== null && stats === null && <p class="hint">{i18n.t('popup.notRunning')}</p>}
    </section>
  );
}

/**
 * The model in one line (its state and backend); the details (which model, why this backend, what was
 * recovered, the detectors) open below it, and are open while the model failed.
 */
function ModelLine({ status, error }: { status: PopupStatus | null; error: string | null }) {
  const model = status?.model ?? null;
  const backend = model === null ? null : backendName(model);
  return (
    <section class="card model" aria-labelledby="model-heading" aria-live="polite">
      <details class="model-details" id="model-details" open={model?.state === 'failed'}>
        <summary>
          <h2 id="model-heading">{i18n.t('popup.modelHeading')}</h2>
          {model === null ? (
            <span class="hint" id="model-state" data-testid="model-state" data-state="unknown">
              {error ? i18n.t('popup.modelUnknown', [error]) : i18n.t('popup.modelAsking')}
            </span>
          ) : (
            <span id="model-state" data-testid="model-state" data-state={model.state} class={`state state-${model.state}`}>
              {modelStateText(model)}
            </span>
          )}
          {backend && <span class="hint"> · {backend}</span>}
          {model?.recovery && <span class="hint"> · {i18n.t('popup.recovered')}</span>}
        </summary>
        {model !== null && <p class="model-name">{modelName(model)}</p>}
        <p class="hint" id="model-backend" data-testid="model-backend" data-backend={model?.backend ?? ''}>
          {i18n.t('popup.backend', [model === null ? '–' : backendText(model)])}
        </p>
        <DetectorLines status={model} />
        {model?.trained && (
          <p class="hint detector">
            {i18n.t('popup.trainedModel', [model.trained.id.split('@')[0] ?? ''])}{' '}
            <span id="trained-state" data-state={model.trained.state}>
              {detectorStateText(model.trained)}
            </span>
          </p>
        )}
      </details>
    </section>
  );
}

/** One line per extra detector. data-state is the detector's state, or "unknown" before an answer. */
function DetectorLines({ status }: { status: ModelStatus | null }) {
  return (
    <>
      {DETECTORS.map((detector) => {
        const detectorState = detectorStatus(status, detector);
        const state = detectorState?.state ?? 'unknown';
        const id = `detector-${detector}-state`;
        return (
          <p key={detector} class="hint detector">
            {detectorName(detector)}:{' '}
            <span id={id} data-testid={id} data-state={state} class={`state state-${state}`}>
              {detectorStateText(detectorState)}
            </span>
          </p>
        );
      })}
    </>
  );
}
