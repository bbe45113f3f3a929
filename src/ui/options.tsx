// The options page: sensitivity, tags, model, backend, error policy, minimum size, canvases, site rules, the
// user's marked images, personal tags, their data, reset. Settings are only written (the background and
// content scripts watch storage); changes to marks are told to the background (use-marks.ts).
import { i18n } from '#i18n';
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { BACKENDS, type BackendChoice } from '../model/backends';
import { MODEL_IDS, isModelId, modelLabel } from '../model/catalog';
import { modelWorkerCount, reportedCores } from '../model/worker-count';
import { KEEP_MODEL_CHOICES, keepModelLabel } from './keep-model';
import { defaults, type ErrorPolicy, MAX_MODEL_WORKERS, type Settings } from '../settings/schema';
import { hostFromInput, removeSiteRule, setSiteRule } from '../settings/site-rules';
import { CustomTagsEditor } from './custom-tags-editor';
import { DataSection } from './data-section';
import { MarksSection } from './marks-section';
import { PersonalTagsSection } from './personal-tags-section';
import { TagList } from './tag-list';
import { ThresholdSlider } from './threshold-slider';
import { TrainedModelSection } from './trained-model-section';
import { useMarks } from './use-marks';
import { CoverStyleChoice } from './cover-style-choice';
import { InlineConfirm } from './inline-confirm';
import { LockPrompt } from './lock-prompt';
import { LockSection } from './lock-section';
import { useSettings, type SettingsControls } from './use-settings';
import { StatsPanel } from './stats-panel';
import { useHashTab } from './use-hash-tab';

const backendLabel = (backend: BackendChoice) => i18n.t(`options.model.backends.${backend}`);
const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', ...BACKENDS];
/** The page's tabs, each opened by its #fragment (the popup links to #stats). */
const OPTION_TABS = ['settings', 'stats'] as const;

export function Options() {
  const controls = useSettings();
  const { settings, error, held, holdBack } = controls;
  const tab = useHashTab(OPTION_TABS, 'settings');
  // Opened with the page, not after the settings: the store is read while they load.
  const marks = useMarks();

  if (settings === null) {
    return (
      <main class="options" aria-busy="true">
        <h1>{i18n.t('options.title')}</h1>
      </main>
    );
  }

  return (
    <main class="options">
      <h1>{i18n.t('options.title')}</h1>
      <nav class="page-tabs" aria-label={i18n.t('options.tabs.label')}>
        {OPTION_TABS.map((t) => (
          <a key={t} href={`#${t}`} id={`tab-${t}`} data-testid={`tab-${t}`} aria-current={t === tab ? 'page' : undefined}>
            {i18n.t(`options.tabs.${t}`)}
          </a>
        ))}
      </nav>
      {tab === 'stats' ? (
        <StatsPanel customTags={settings.customTags} />
      ) : (
        <SettingsSections controls={{ ...controls, settings }} marks={marks} />
      )}

      {error && (
        <p class="error" role="alert">
          {i18n.t('options.couldNotSave', [error])}
        </p>
      )}
      {held && <LockPrompt held={held} customTags={settings.customTags} onDone={() => holdBack(null)} />}
    </main>
  );
}

/** The Settings tab: every setting, the user's marks and their data. */
function SettingsSections({
  controls,
  marks,
}: {
  controls: SettingsControls & { settings: Settings };
  marks: ReturnType<typeof useMarks>;
}) {
  const { settings, save, saveSoon, update, flush, holdBack } = controls;
  return (
    <>
      <p class="hint">
        <a href="/welcome.html" target="_blank" rel="noopener" id="open-welcome" data-testid="open-welcome">
          {i18n.t('options.welcomeLink')}
        </a>{' '}
        {i18n.t('options.welcomeNote')}
      </p>

      <section class="card" aria-labelledby="sensitivity-heading">
        <h2 id="sensitivity-heading">{i18n.t('options.sensitivityHeading')}</h2>
        <ThresholdSlider value={settings.nsfwThreshold} onInput={(nsfwThreshold) => saveSoon({ nsfwThreshold })} onCommit={flush} />
      </section>

      <section class="card" aria-labelledby="tags-heading">
        <h2 id="tags-heading">{i18n.t('options.tags.heading')}</h2>
        <p class="hint">{i18n.t('options.tags.hint')}</p>
        <SettingCheckbox id="show-tags-on-hover" setting="showTagsOnHover" settings={settings} save={save}>
          {i18n.t('options.tags.showOnHover')}
        </SettingCheckbox>
        <SettingCheckbox id="show-mark-controls" setting="showMarkControls" settings={settings} save={save}>
          {i18n.t('options.tags.showMarkControls')}
        </SettingCheckbox>
        <TagList settings={settings} update={update} saveSoon={saveSoon} flush={flush} />
        <CustomTagsEditor customTags={settings.customTags} update={update} />
      </section>

      <section class="card" aria-labelledby="model-heading">
        <h2 id="model-heading">{i18n.t('options.model.heading')}</h2>
        <label class="field" for="model">
          <span>{i18n.t('options.model.classifier')}</span>
          <select
            id="model"
            data-testid="model"
            onChange={(e) => {
              const model = e.currentTarget.value;
              if (isModelId(model)) save({ model });
            }}
          >
            {MODEL_IDS.map((id) => (
              <option key={id} value={id} selected={id === settings.model}>
                {modelLabel(id)}
              </option>
            ))}
          </select>
        </label>
        <p class="hint">{i18n.t('options.model.hint')}</p>

        <label class="field" for="backend">
          <span>{i18n.t('options.model.runOn')}</span>
          <select
            id="backend"
            data-testid="backend"
            aria-describedby="backend-note"
            onChange={(e) => {
              const backend = BACKEND_CHOICES.find((b) => b === e.currentTarget.value);
              if (backend) save({ backend });
            }}
          >
            {BACKEND_CHOICES.map((b) => (
              <option key={b} value={b} selected={b === settings.backend}>
                {backendLabel(b)}
              </option>
            ))}
          </select>
        </label>
        <p class="hint" id="backend-note">
          {i18n.t('options.model.backendNote')}
        </p>

        <label class="field" for="model-workers">
          <span>{i18n.t('options.model.workers')}</span>
          <select
            id="model-workers"
            data-testid="model-workers"
            aria-describedby="model-workers-note"
            onChange={(e) => save({ modelWorkers: Number(e.currentTarget.value) })}
          >
            {[0, ...Array.from({ length: MAX_MODEL_WORKERS }, (_, i) => i + 1)].map((n) => (
              <option key={n} value={n} selected={n === settings.modelWorkers}>
                {n === 0 ? i18n.t('options.model.workersAuto', [modelWorkerCount(0, reportedCores())]) : String(n)}
              </option>
            ))}
          </select>
        </label>
        <p class="hint" id="model-workers-note">
          {i18n.t('options.model.workersNote')}
        </p>

        <label class="field" for="keep-model">
          <span>{i18n.t('options.model.keep')}</span>
          <select
            id="keep-model"
            data-testid="keep-model"
            aria-describedby="keep-model-note"
            onChange={(e) => save({ keepModelMinutes: Number(e.currentTarget.value) })}
          >
            {[...new Set([...KEEP_MODEL_CHOICES, settings.keepModelMinutes])]
              .sort((a, b) => a - b)
              .map((minutes) => (
                <option key={minutes} value={minutes} selected={minutes === settings.keepModelMinutes}>
                  {keepModelLabel(minutes)}
                </option>
              ))}
          </select>
        </label>
        <p class="hint" id="keep-model-note">
          {i18n.t('options.model.keepNote')}
        </p>
        <SettingCheckbox
          id="use-detectors"
          setting="useDetectors"
          settings={settings}
          save={save}
          note={i18n.t('options.model.detectorsNote')}
        >
          {i18n.t('options.model.detectors')}
        </SettingCheckbox>
      </section>

      <section class="card" aria-labelledby="images-heading">
        <h2 id="images-heading">{i18n.t('options.images.heading')}</h2>
        <fieldset class="choices">
          <legend>{i18n.t('options.images.onError')}</legend>
          <ErrorPolicyChoice value="cover" current={settings.onError} save={save}>
            {i18n.t('options.images.stayCovered')}
          </ErrorPolicyChoice>
          <ErrorPolicyChoice value="show" current={settings.onError} save={save}>
            {i18n.t('options.images.show')}
          </ErrorPolicyChoice>
        </fieldset>
        <CoverStyleChoice current={settings.coverStyle} save={save} />
        <MinImageSize value={settings.minImageSize} save={saveSoon} />
        <SettingCheckbox id="show-badge" setting="showBadge" settings={settings} save={save}>
          {i18n.t('options.images.badge')}
        </SettingCheckbox>
        <SettingCheckbox
          id="check-canvases"
          setting="checkCanvases"
          settings={settings}
          save={save}
          note={i18n.t('options.images.canvasesNote')}
        >
          {i18n.t('options.images.canvases')}
        </SettingCheckbox>
      </section>

      <SiteRules settings={settings} update={controls.update} />

      <MarksSection marks={marks} customTags={settings.customTags} />

      <PersonalTagsSection records={marks.records} model={settings.model} customTags={settings.customTags} />

      <TrainedModelSection settings={settings} update={update} />

      <LockSection customTags={settings.customTags} holdBack={holdBack} />

      <DataSection marks={marks} holdBack={holdBack} />

      <ResetSection update={controls.update} />
    </>
  );
}

type BooleanSetting = { [K in keyof Settings]: Settings[K] extends boolean ? K : never }[keyof Settings];

/** A checkbox for one on/off setting, written at once. */
function SettingCheckbox(props: {
  id: string;
  setting: BooleanSetting;
  settings: Settings;
  save: SettingsControls['save'];
  /** A hint under the checkbox, which describes it (`<id>-note`). */
  note?: string;
  children: ComponentChildren;
}) {
  const { id, setting, note } = props;
  const noteId = `${id}-note`;
  return (
    <>
      <label class="choice" for={id}>
        <input
          type="checkbox"
          id={id}
          data-testid={id}
          {...(note ? { 'aria-describedby': noteId } : {})}
          checked={props.settings[setting]}
          onChange={(e) => props.save({ [setting]: e.currentTarget.checked })}
        />
        {props.children}
      </label>
      {note && (
        <p class="hint" id={noteId}>
          {note}
        </p>
      )}
    </>
  );
}

function ErrorPolicyChoice(props: { value: ErrorPolicy; current: ErrorPolicy; save: SettingsControls['save']; children: string }) {
  const id = `on-error-${props.value}`;
  return (
    <label class="choice" for={id}>
      <input
        type="radio"
        name="on-error"
        id={id}
        data-testid={id}
        value={props.value}
        checked={props.current === props.value}
        onChange={() => props.save({ onError: props.value })}
      />
      {props.children}
    </label>
  );
}

const MAX_MIN_SIZE = 4096;

/** A whole number of CSS pixels, 0..4096 (the schema's range), or null. */
export function parseMinImageSize(text: string): number | null {
  if (!/^\s*\d+\s*$/.test(text)) return null;
  const value = Number(text);
  return value <= MAX_MIN_SIZE ? value : null;
}

function MinImageSize({ value, save }: { value: number; save: SettingsControls['save'] }) {
  // What the user is typing can be invalid for a while ("", "1e"): keep it here, save only valid values.
  const [draft, setDraft] = useState(String(value));
  useEffect(() => {
    setDraft((d) => (parseMinImageSize(d) === value ? d : String(value)));
  }, [value]);
  const valid = parseMinImageSize(draft) !== null;
  return (
    <div class="field-group">
      <label class="field" for="min-image-size">
        <span>{i18n.t('options.images.minSize')}</span>
        <span class="with-unit">
          <input
            type="number"
            id="min-image-size"
            data-testid="min-image-size"
            min={0}
            max={MAX_MIN_SIZE}
            step={1}
            value={draft}
            aria-invalid={!valid}
            aria-describedby="min-image-size-hint"
            onInput={(e) => {
              const text = e.currentTarget.value;
              setDraft(text);
              const parsed = parseMinImageSize(text);
              if (parsed !== null) save({ minImageSize: parsed });
            }}
          />
          px
        </span>
      </label>
      <p class={valid ? 'hint' : 'error'} id="min-image-size-hint">
        {valid ? i18n.t('options.images.minSizeHint') : i18n.t('options.images.minSizeInvalid', [MAX_MIN_SIZE])}
      </p>
    </div>
  );
}

/** Sorts "a.example.com" right after "example.com": by labels from the top-level domain down. */
export function siteOrder(a: string, b: string): number {
  const key = (host: string) => host.split('.').reverse().join('.');
  return key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
}

function SiteRules({ settings, update }: { settings: Settings; update: SettingsControls['update'] }) {
  const [text, setText] = useState('');
  const [mode, setMode] = useState<'off' | 'on'>('off');
  const [message, setMessage] = useState<{ text: string; isError: boolean } | null>(null);
  const hosts = Object.keys(settings.siteRules).sort(siteOrder);

  const add = (e: Event) => {
    e.preventDefault();
    // hostFromInput only returns hosts that pass the schema's isHostName.
    const host = hostFromInput(text);
    if (host === null) {
      setMessage({ text: i18n.t('options.sites.invalid'), isError: true });
      return;
    }
    const on = mode === 'on';
    const next = setSiteRule(settings, host, on);
    if (next[host] === undefined) {
      // setSiteRule dropped it: the site already behaves this way.
      setMessage({ text: i18n.t(on ? 'options.sites.alreadyFiltered' : 'options.sites.alreadyNotFiltered', [host]), isError: false });
    } else {
      setMessage(null);
    }
    update((current) => ({ siteRules: setSiteRule(current, host, on) }));
    setText('');
  };

  return (
    <section class="card" aria-labelledby="sites-heading">
      <h2 id="sites-heading">{i18n.t('options.sites.heading')}</h2>
      <p class="hint">{i18n.t('options.sites.hint')}</p>
      {hosts.length === 0 ? (
        <p class="hint" id="site-rules-empty">
          {i18n.t('options.sites.none')}
        </p>
      ) : (
        <ul class="site-rules" id="site-rules" data-testid="site-rules">
          {hosts.map((host) => (
            <li key={host} data-host={host}>
              <span class="host">{host}</span>
              <span class={settings.siteRules[host] ? 'rule-on' : 'rule-off'}>
                {settings.siteRules[host] ? i18n.t('options.sites.filtered') : i18n.t('options.sites.notFiltered')}
              </span>
              <button
                type="button"
                data-testid="remove-site"
                aria-label={i18n.t('options.sites.removeRule', [host])}
                onClick={() => update((current) => ({ siteRules: removeSiteRule(current, host) }))}
              >
                {i18n.t('options.remove')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <form class="add-site" onSubmit={add}>
        <label for="add-site" class="visually-hidden">
          {i18n.t('options.sites.site')}
        </label>
        <input
          type="text"
          id="add-site"
          data-testid="add-site"
          placeholder="example.com"
          autocomplete="off"
          spellcheck={false}
          value={text}
          aria-describedby="add-site-message"
          onInput={(e) => setText(e.currentTarget.value)}
        />
        <label for="add-site-mode" class="visually-hidden">
          {i18n.t('options.sites.rule')}
        </label>
        <select id="add-site-mode" data-testid="add-site-mode" onChange={(e) => setMode(e.currentTarget.value === 'on' ? 'on' : 'off')}>
          <option value="off" selected={mode === 'off'}>
            {i18n.t('options.sites.dontFilter')}
          </option>
          <option value="on" selected={mode === 'on'}>
            {i18n.t('options.sites.filter')}
          </option>
        </select>
        <button type="submit" id="add-site-button" data-testid="add-site-button">
          {i18n.t('options.add')}
        </button>
      </form>
      <p id="add-site-message" class={message?.isError ? 'error' : 'hint'} role={message?.isError ? 'alert' : undefined}>
        {message?.text ?? ''}
      </p>
    </section>
  );
}

function ResetSection({ update }: { update: SettingsControls['update'] }) {
  const reset = () => {
    const { version: _version, ...all } = defaults();
    update(() => all);
  };
  return (
    <section class="card" aria-labelledby="reset-heading">
      <h2 id="reset-heading">{i18n.t('options.reset.heading')}</h2>
      <InlineConfirm
        id="reset"
        label={i18n.t('options.reset.button')}
        question={i18n.t('options.reset.question')}
        confirmLabel={i18n.t('options.reset.confirm')}
        groupLabel={i18n.t('options.reset.confirmGroup')}
        onConfirm={reset}
      />
    </section>
  );
}
