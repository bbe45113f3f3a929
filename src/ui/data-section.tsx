// "Your data" on the options page: how much is stored, the dataset ZIP out and in, the settings file
// out and in, and deleting every mark.
import { i18n } from '#i18n';
import { clearStatistics } from './clear-stats';
import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import {
  DATASET_FORMAT,
  DatasetRefused,
  datasetSizeRefusal,
  exportDataset,
  importDataset,
  type DatasetRefusal,
  type ImportResult as DatasetContents,
} from '../marks/dataset-zip';
import { previewImport, previewLines } from '../marks/import-preview';
import { readSettingsFile, settingsChanges, settingsToFile } from '../settings/settings-file';
import type { ValidationResult } from '../settings/schema';
import { LockedChange, updateUnlessLocked } from '../lock/locked-write';
import { loadSettings, updateSettings } from '../settings/store';
import { MAX_CUSTOM_TAGS, withCustomTags } from '../tags/vocabulary';
import { downloadBlob, takeChosenFile } from './download';
import { SETTINGS_FILE_NAME, datasetFileName, formatMegabytes, markedImageCount } from './mark-view';
import './marks.css';
import type { MarksControls } from './use-marks';
import { errorText } from '../util/checks';
import { storageErrorText } from '../util/storage-error';

export function DataSection({ marks, holdBack }: { marks: MarksControls; holdBack: (held: LockedChange) => void }) {
  return (
    <section class="card" aria-labelledby="data-heading">
      <h2 id="data-heading">{i18n.t('options.data.heading')}</h2>
      <StorageUsed count={marks.records?.length ?? null} />
      <DatasetFiles marks={marks} />
      <SettingsFile holdBack={holdBack} />
      <DeleteAll marks={marks} />
    </section>
  );
}

function StorageUsed({ count }: { count: number | null }) {
  const [usage, setUsage] = useState<number | null>(null);
  // Again whenever the number of images changes: thumbnails are most of what is stored.
  useEffect(() => {
    let live = true;
    void estimateUsage().then((bytes) => live && setUsage(bytes));
    return () => {
      live = false;
    };
  }, [count]);
  const parts = [
    usage === null ? null : i18n.t('options.data.used', [formatMegabytes(usage)]),
    count === null ? null : markedImageCount(count),
  ];
  return (
    <p id="storage-used" aria-live="polite">
      {i18n.t('options.data.stored', [parts.filter((p) => p !== null).join(' · ') || '…'])}
    </p>
  );
}

/** Why a dataset file was not read, in the user's language; other errors as they come, in a sentence naming the file. */
function readFailedText(fileName: string, error: unknown): string {
  return error instanceof DatasetRefused ? refusalText(error.refusal) : i18n.t('options.data.readFailed', [fileName, errorText(error)]);
}

function refusalText(r: DatasetRefusal): string {
  switch (r.kind) {
    case 'not-zip':
      return i18n.t('options.data.dataset.notZip', [r.detail]);
    case 'no-manifest':
      return i18n.t('options.data.dataset.noManifest');
    case 'wrong-format':
      return i18n.t('options.data.dataset.wrongFormat', [r.format, DATASET_FORMAT]);
    case 'file-too-large':
      return i18n.t('options.data.dataset.fileTooLarge', [r.size, r.limit]);
    case 'too-many-files':
      return i18n.t('options.data.dataset.tooManyFiles', [r.limit]);
    case 'entry-too-large':
      return i18n.t('options.data.dataset.entryTooLarge', [r.name, r.size, r.limit]);
    case 'unpacks-too-large':
      return i18n.t('options.data.dataset.unpacksTooLarge', [r.limit]);
  }
}

/** What the extension origin stores (IndexedDB and caches), or null where the browser does not say. */
async function estimateUsage(): Promise<number | null> {
  const storage = typeof navigator === 'undefined' ? undefined : navigator.storage;
  if (typeof storage?.estimate !== 'function') return null;
  try {
    return (await storage.estimate()).usage ?? null;
  } catch {
    return null;
  }
}

type ImportState =
  | { state: 'idle' }
  | { state: 'busy' }
  /** Read and counted, waiting for the user's yes (dataset only). */
  | { state: 'confirm'; fileName: string; contents: DatasetContents; lines: string[] }
  | { state: 'done'; count: number; problems: string[] }
  | { state: 'failed'; message: string };

function DatasetFiles({ marks }: { marks: MarksControls }) {
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<string | null>(null);
  const [result, setResult] = useState<ImportState>({ state: 'idle' });

  const exportNow = async () => {
    setExporting(true);
    setExportError(null);
    try {
      const exportedAt = Date.now();
      const bytes = exportDataset(await marks.readAll(), {
        exportedAt,
        extensionVersion: browser.runtime.getManifest().version,
        customTags: (await loadSettings()).customTags,
      });
      downloadBlob(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/zip' }), datasetFileName(new Date(exportedAt)));
    } catch (e) {
      setExportError(i18n.t('options.data.exportFailed', [errorText(e)]));
    } finally {
      setExporting(false);
    }
  };

  // Reading shows what the file would change; only "Import" applies it, so another person's
  // "should be shown" verdicts never uncover images here without the user saying yes.
  const readFile = async (file: File) => {
    setResult({ state: 'busy' });
    try {
      const tooLarge = datasetSizeRefusal(file.size);
      if (tooLarge) throw new DatasetRefused(tooLarge);
      const contents = importDataset(new Uint8Array(await file.arrayBuffer()));
      const marked = new Set((await marks.readAll()).map((r) => r.url));
      const lines = previewLines(previewImport(contents, marked, (await loadSettings()).customTags));
      setResult({ state: 'confirm', fileName: file.name, contents, lines });
    } catch (e) {
      setResult({ state: 'failed', message: readFailedText(file.name, e) });
    }
  };

  const apply = async ({ records, problems, customTags }: DatasetContents) => {
    setResult({ state: 'busy' });
    try {
      await marks.putAll(records);
    } catch (e) {
      setResult({ state: 'failed', message: i18n.t('options.data.dataset.importFailed', [storageErrorText(e)]) });
      return;
    }
    // The dataset's own tags join the user's, so its tag marks can be seen, hidden and learned here.
    if (customTags.length > 0) {
      try {
        await updateSettings((current) => {
          const merged = withCustomTags(current.customTags, customTags);
          if (merged.dropped > 0)
            problems.push(i18n.t('options.data.dataset.tagsDropped', merged.dropped, [merged.dropped, MAX_CUSTOM_TAGS]));
          return { customTags: merged.customTags };
        });
      } catch (e) {
        problems.push(i18n.t('options.data.dataset.tagsNotSaved', [errorText(e)]));
      }
    }
    setResult({ state: 'done', count: records.length, problems });
  };

  return (
    <div class="data-group" role="group" aria-labelledby="dataset-heading">
      <h3 id="dataset-heading">{i18n.t('options.data.dataset.heading')}</h3>
      <p class="hint">{i18n.t('options.data.dataset.hint')}</p>
      <div class="row">
        <button type="button" id="export-dataset" disabled={exporting} onClick={() => void exportNow()}>
          {exporting ? i18n.t('options.data.dataset.exporting') : i18n.t('options.data.dataset.export')}
        </button>
        <FileButton
          id="import-dataset"
          accept=".zip,application/zip"
          disabled={result.state === 'busy' || result.state === 'confirm'}
          onFile={(f) => void readFile(f)}
        >
          {i18n.t('options.data.dataset.import')}
        </FileButton>
      </div>
      {exportError && (
        <p class="error" role="alert" id="export-dataset-error">
          {exportError}
        </p>
      )}
      {result.state === 'confirm' ? (
        <ImportConfirm
          fileName={result.fileName}
          lines={result.lines}
          problems={result.contents.problems}
          canApply={result.contents.records.length > 0}
          onApply={() => void apply(result.contents)}
          onCancel={() => setResult({ state: 'idle' })}
        />
      ) : (
        <ImportResult id="import-result" result={result} done={(n) => i18n.t('options.data.dataset.imported', n)} />
      )}
    </div>
  );
}

function SettingsFile({ holdBack }: { holdBack: (held: LockedChange) => void }) {
  const [exportError, setExportError] = useState<string | null>(null);
  const [result, setResult] = useState<ImportState>({ state: 'idle' });
  const [pending, setPending] = useState<{ fileName: string; read: ValidationResult; lines: string[] } | null>(null);

  const exportNow = async () => {
    setExportError(null);
    try {
      downloadBlob(new Blob([settingsToFile(await loadSettings())], { type: 'application/json' }), SETTINGS_FILE_NAME);
    } catch (e) {
      setExportError(i18n.t('options.data.exportFailed', [errorText(e)]));
    }
  };

  // As for a dataset: what the file would change first (a file can switch Megane off or leave sites
  // unfiltered), written only on "Import".
  const readFile = async (file: File) => {
    setResult({ state: 'busy' });
    try {
      const read = readSettingsFile(await file.text());
      const lines = settingsChanges(await loadSettings(), read.settings);
      setPending({ fileName: file.name, read, lines });
      setResult({ state: 'idle' });
    } catch (e) {
      // readSettingsFile's own sentence says why the file is not a settings file.
      setResult({ state: 'failed', message: errorText(e) });
    }
  };

  const apply = async ({ settings, problems }: ValidationResult) => {
    setPending(null);
    setResult({ state: 'busy' });
    try {
      const { version: _version, ...patch } = settings;
      // Importing settings that show more images is a change the lock holds back like any other.
      await updateUnlessLocked(() => patch);
      setResult({ state: 'done', count: 0, problems });
    } catch (e) {
      if (e instanceof LockedChange) {
        setResult({ state: 'idle' });
        holdBack(e);
        return;
      }
      setResult({ state: 'failed', message: i18n.t('options.couldNotSave', [storageErrorText(e)]) });
    }
  };

  return (
    <div class="data-group" role="group" aria-labelledby="settings-file-heading">
      <h3 id="settings-file-heading">{i18n.t('options.data.settings.heading')}</h3>
      <p class="hint">{i18n.t('options.data.settings.hint')}</p>
      <div class="row">
        <button type="button" id="export-settings" onClick={() => void exportNow()}>
          {i18n.t('options.data.settings.export')}
        </button>
        <FileButton
          id="import-settings"
          accept=".json,application/json"
          disabled={result.state === 'busy' || pending !== null}
          onFile={(f) => void readFile(f)}
        >
          {i18n.t('options.data.settings.import')}
        </FileButton>
      </div>
      {exportError && (
        <p class="error" role="alert" id="export-settings-error">
          {exportError}
        </p>
      )}
      {pending ? (
        <ImportConfirm
          id="import-settings-result"
          prefix="import-settings"
          fileName={pending.fileName}
          lines={[
            pending.lines.length === 0 ? i18n.t('options.data.settings.noChanges') : i18n.t('options.data.settings.changes'),
            ...pending.lines,
          ]}
          problems={pending.read.problems}
          canApply={true}
          onApply={() => void apply(pending.read)}
          onCancel={() => setPending(null)}
        />
      ) : (
        <ImportResult
          id="import-settings-result"
          result={result}
          done={() => i18n.t('options.data.settings.imported')}
          problemsLabel={(n) => i18n.t('options.data.settings.problems', n)}
        />
      )}
    </div>
  );
}

/** What a dataset file would change, with the buttons that apply it or leave everything as it is. */
function ImportConfirm(props: {
  /** The element's id and the prefix of its buttons' ids (`<prefix>-confirm`, `<prefix>-cancel`). */
  id?: string;
  prefix?: string;
  fileName: string;
  lines: string[];
  problems: string[];
  canApply: boolean;
  onApply: () => void;
  onCancel: () => void;
}) {
  const [first, ...rest] = props.lines;
  const id = props.id ?? 'import-result';
  const prefix = props.prefix ?? 'import-dataset';
  return (
    <div id={id} class="import-result import-preview" role="group" aria-labelledby={`${id}-heading`} aria-live="polite">
      <p id={`${id}-heading`} class="import-summary">
        {i18n.t('options.data.preview', [props.fileName, first ?? ''])}
      </p>
      {rest.length > 0 && (
        <ul class="import-counts">
          {rest.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      )}
      {props.problems.length > 0 && (
        <details class="import-problems">
          <summary>{i18n.t('options.data.problemsRepaired', props.problems.length)}</summary>
          <ul>
            {props.problems.map((problem, i) => (
              <li key={i}>{problem}</li>
            ))}
          </ul>
        </details>
      )}
      <div class="row">
        <button type="button" id={`${prefix}-confirm`} disabled={!props.canApply} onClick={props.onApply}>
          {i18n.t('options.data.import')}
        </button>
        <button type="button" id={`${prefix}-cancel`} onClick={props.onCancel}>
          {i18n.t('options.cancel')}
        </button>
      </div>
    </div>
  );
}

/** A file input drawn as a button; the input itself stays in the page for keyboards and automation. */
function FileButton(props: { id: string; accept: string; disabled: boolean; onFile: (file: File) => void; children: string }) {
  return (
    <label class={`file-button${props.disabled ? ' disabled' : ''}`} for={props.id}>
      <input
        type="file"
        id={props.id}
        class="visually-hidden"
        accept={props.accept}
        disabled={props.disabled}
        onChange={(e) => {
          const file = takeChosenFile(e);
          if (file) props.onFile(file);
        }}
      />
      {props.children}
    </label>
  );
}

function ImportResult(props: {
  id: string;
  result: ImportState;
  done: (count: number) => string;
  problemsLabel?: (count: number) => string;
}) {
  const { result } = props;
  const problemsLabel = props.problemsLabel ?? ((n: number) => i18n.t('options.data.problems', n));
  return (
    <div id={props.id} class="import-result" aria-live="polite">
      {result.state === 'busy' && <p class="hint">{i18n.t('options.importing')}</p>}
      {result.state === 'failed' && (
        <p class="error" role="alert">
          {result.message}
        </p>
      )}
      {result.state === 'done' && (
        <>
          <p class="import-summary">{props.done(result.count)}</p>
          {result.problems.length > 0 && (
            <details class="import-problems">
              <summary>{problemsLabel(result.problems.length)}</summary>
              <ul>
                {result.problems.map((problem, i) => (
                  <li key={i}>{problem}</li>
                ))}
              </ul>
            </details>
          )}
        </>
      )}
    </div>
  );
}

type DeleteState = 'idle' | 'armed' | 'deleting' | 'done';

function DeleteAll({ marks }: { marks: MarksControls }) {
  // Two clicks on the same button instead of window.confirm: it cannot be blocked, and tests can drive it.
  const [state, setState] = useState<DeleteState>('idle');
  const [error, setError] = useState<string | null>(null);

  const deleteNow = async () => {
    setState('deleting');
    setError(null);
    try {
      await marks.deleteAll();
      await clearStatistics();
      setState('done');
    } catch (e) {
      setError(i18n.t('options.data.deleteAll.failed', [errorText(e)]));
      setState('idle');
    }
  };

  return (
    <div class="data-group" role="group" aria-labelledby="delete-all-heading">
      <h3 id="delete-all-heading">{i18n.t('options.data.deleteAll.heading')}</h3>
      <p class="hint" id="delete-all-hint">
        {i18n.t('options.data.deleteAll.hint')}
      </p>
      <div class="row">
        <button
          type="button"
          id="delete-all"
          class={state === 'armed' ? 'danger' : undefined}
          disabled={state === 'deleting'}
          aria-describedby="delete-all-hint"
          onClick={() => (state === 'armed' ? void deleteNow() : setState('armed'))}
        >
          {state === 'armed'
            ? i18n.t('options.data.deleteAll.armed')
            : state === 'deleting'
              ? i18n.t('options.data.deleteAll.deleting')
              : i18n.t('options.data.deleteAll.button')}
        </button>
        {state === 'armed' && (
          <button type="button" id="delete-all-cancel" onClick={() => setState('idle')}>
            {i18n.t('options.cancel')}
          </button>
        )}
      </div>
      <p id="delete-all-result" class={error ? 'error' : 'hint'} role={error ? 'alert' : undefined}>
        {error ?? (state === 'done' ? i18n.t('options.data.deleteAll.done') : '')}
      </p>
    </div>
  );
}
