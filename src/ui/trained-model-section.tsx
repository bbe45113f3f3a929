// "Trained model" on the options page: import the folder `npm run train` wrote (or its files, or a ZIP
// of it), choose which imported model runs, and for each of its tags whether it or Megane decides.
import { i18n } from '#i18n';
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { Settings, TagDecider } from '../settings/schema';
import { tagLabel, withCustomTags, type AnyTagId, type CustomTag } from '../tags/vocabulary';
import { readModelFiles, type ModelFile } from '../trained/read-model-files';
import { deleteTrainedModel, listTrainedModels, saveTrainedModel, type TrainedModelSummary } from '../trained/trained-model-store';
import { formatMegabytes, imageCount } from './mark-view';
import type { SettingsControls } from './use-settings';
import { errorText } from '../util/checks';
import { storageErrorText } from '../util/storage-error';

const percentOrDash = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${Math.round(x * 100)}%`);

type ImportState = { state: 'idle' } | { state: 'busy' } | { state: 'done'; name: string } | { state: 'failed'; message: string };

export function TrainedModelSection({ settings, update }: { settings: Settings; update: SettingsControls['update'] }) {
  const [models, setModels] = useState<TrainedModelSummary[] | null>(null);
  const [listError, setListError] = useState<string | null>(null);
  const [result, setResult] = useState<ImportState>({ state: 'idle' });

  const reload = useCallback(async () => {
    try {
      setModels(await listTrainedModels());
      setListError(null);
    } catch (e) {
      setListError(i18n.t('options.trained.listFailed', [errorText(e)]));
    }
  }, []);
  useEffect(() => void reload(), [reload]);

  const importFiles = async (list: FileList | null) => {
    if (!list || list.length === 0) return;
    setResult({ state: 'busy' });
    try {
      const files: ModelFile[] = await Promise.all(
        [...list].map(async (f) => ({ name: f.webkitRelativePath || f.name, bytes: new Uint8Array(await f.arrayBuffer()) })),
      );
      const { descriptor, artifacts } = readModelFiles(files);
      const saved = await saveTrainedModel(descriptor, artifacts);
      // A newly imported model is the one the user wants to run, and its own tags (user:…) join the
      // user's so they can be hidden.
      update((current) => ({ trainedModel: saved.id, customTags: withCustomTags(current.customTags, descriptor.customTags).customTags }));
      // List it before saying it is imported, so the message and the model's tag table appear together.
      await reload();
      setResult({ state: 'done', name: descriptor.name });
    } catch (e) {
      setResult({ state: 'failed', message: storageErrorText(e) });
    }
  };

  /**
   * Imports what the picker holds, then empties it so picking the same files again imports again. The
   * element is kept: an event's currentTarget is null once the event has been handled.
   */
  const importFrom = (input: HTMLInputElement) => void importFiles(input.files).finally(() => (input.value = ''));

  const remove = async (id: string) => {
    await deleteTrainedModel(id);
    update((current) => (current.trainedModel === id ? { trainedModel: null } : {}));
    await reload();
  };

  const active = models?.find((m) => m.id === settings.trainedModel) ?? null;
  /** The user's name for their own tag first, else the one the model was trained with. */
  const labelOf = (tag: AnyTagId, named: readonly CustomTag[]) => tagLabel(tag, [...settings.customTags, ...named]);
  const setSource = (tag: AnyTagId, source: TagDecider) =>
    update((current) => {
      const { [tag]: _old, ...rest } = current.tagSources;
      return { tagSources: source === 'builtin' ? rest : { ...rest, [tag]: source } };
    });

  return (
    <section class="card" aria-labelledby="trained-heading">
      <h2 id="trained-heading">{i18n.t('options.trained.heading')}</h2>
      <p class="hint">
        {i18n.t('options.trained.hintBefore')} <code>npm run train</code> {i18n.t('options.trained.hintAfter')}
      </p>
      <div class="row">
        <label class="file-button" for="import-model-folder">
          <input
            id="import-model-folder"
            class="visually-hidden"
            type="file"
            // @ts-expect-error: Chromium's folder picker attribute is not in the DOM typings
            webkitdirectory=""
            onChange={(e) => importFrom(e.currentTarget)}
          />
          {i18n.t('options.trained.importFolder')}
        </label>
        <label class="file-button" for="import-model-files">
          <input
            id="import-model-files"
            class="visually-hidden"
            type="file"
            multiple
            accept=".json,.bin,.zip,application/zip,application/json"
            onChange={(e) => importFrom(e.currentTarget)}
          />
          {i18n.t('options.trained.importFiles')}
        </label>
      </div>
      <p
        id="import-model-result"
        class={result.state === 'failed' ? 'error' : 'hint'}
        role={result.state === 'failed' ? 'alert' : undefined}
      >
        {result.state === 'busy' && i18n.t('options.importing')}
        {result.state === 'done' && i18n.t('options.trained.imported', [result.name])}
        {result.state === 'failed' && i18n.t('options.trained.importFailed', [result.message])}
      </p>
      {listError && <p class="error">{listError}</p>}
      {models !== null && models.length === 0 && (
        <p class="hint" id="trained-none">
          {i18n.t('options.trained.none')}
        </p>
      )}
      {models !== null && models.length > 0 && (
        <ul class="trained-models" id="trained-models">
          {models.map((m) => (
            <li key={m.id} data-model={m.id}>
              <label class="choice">
                <input
                  type="radio"
                  name="trained-model"
                  checked={m.id === settings.trainedModel}
                  onChange={() => update(() => ({ trainedModel: m.id }))}
                />
                <span>
                  <strong>{m.descriptor.name}</strong>
                  {i18n.t('options.trained.details', [
                    new Date(m.descriptor.trainedAt).toLocaleString(),
                    imageCount(m.descriptor.dataset.images),
                    m.descriptor.inputSize,
                    formatMegabytes(m.bytes),
                    m.descriptor.tags.map((t) => labelOf(t, m.descriptor.customTags)).join(i18n.t('options.listSeparator')),
                  ])}
                </span>
              </label>
              <button
                type="button"
                class="trained-remove"
                aria-label={i18n.t('options.trained.removeModel', [m.descriptor.name])}
                onClick={() => void remove(m.id)}
              >
                {i18n.t('options.remove')}
              </button>
            </li>
          ))}
          <li>
            <label class="choice">
              <input
                type="radio"
                name="trained-model"
                id="trained-off"
                checked={settings.trainedModel === null}
                onChange={() => update(() => ({ trainedModel: null }))}
              />
              <span>{i18n.t('options.trained.off')}</span>
            </label>
          </li>
        </ul>
      )}
      {active && (
        <div class="table-scroll">
          <table id="trained-tags" class="personal-tags">
            <caption class="visually-hidden">{i18n.t('options.trained.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{i18n.t('options.trained.tag')}</th>
                <th scope="col" class="num">
                  {i18n.t('options.trained.precision')}
                </th>
                <th scope="col" class="num">
                  {i18n.t('options.trained.recall')}
                </th>
                <th scope="col" class="num">
                  {i18n.t('options.trained.ap')}
                </th>
                <th scope="col">{i18n.t('options.trained.decidedBy')}</th>
              </tr>
            </thead>
            <tbody>
              {active.descriptor.tags.map((tag) => {
                const m = active.descriptor.metrics[tag];
                return (
                  <tr key={tag} data-tag={tag}>
                    <th scope="row">{labelOf(tag, active.descriptor.customTags)}</th>
                    <td class="num">{percentOrDash(m?.precision)}</td>
                    <td class="num">{percentOrDash(m?.recall)}</td>
                    <td class="num">{percentOrDash(m?.averagePrecision)}</td>
                    <td>
                      <select
                        id={`tag-source-${tag}`}
                        aria-label={i18n.t('options.trained.decides', [labelOf(tag, active.descriptor.customTags)])}
                        onChange={(e) => setSource(tag, e.currentTarget.value === 'trained' ? 'trained' : 'builtin')}
                      >
                        <option value="builtin" selected={settings.tagSources[tag] !== 'trained'}>
                          {i18n.t('options.trained.builtin')}
                        </option>
                        <option value="trained" selected={settings.tagSources[tag] === 'trained'}>
                          {i18n.t('options.trained.trainedModel')}
                        </option>
                      </select>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
