// What the background reads for every image: the settings and the personal models' statuses. Each is
// read from storage once and then kept current by a storage watcher, not read per image.
import type { ModelConfig, TrainResult } from '../messaging/background-offscreen';
import type { ModelId } from '../model/catalog';
import { loadPersonalStatuses, recordTrainResult, watchPersonalStatuses, type PersonalStatuses } from '../personal/personal-status';
import type { Settings } from '../settings/schema';
import { loadSettings, watchSettings } from '../settings/store';
import type { CustomTag } from '../tags/vocabulary';

export interface LiveSettingsOptions {
  /** Called when the user's own tags change (the context menu lists them). */
  onCustomTagsChanged: (customTags: CustomTag[]) => void;
  /** Called with `checkCanvases` once the settings are read, and again whenever it changes. */
  onCheckCanvases?: (on: boolean) => void;
  /** Called after any change of the settings, with the ones before, once `settings()` gives the new ones. */
  onChanged?: (before: Settings, next: Settings) => void;
  signal: AbortSignal;
}

export function createLiveSettings({ onCustomTagsChanged, onCheckCanvases, onChanged, signal }: LiveSettingsOptions) {
  let settings: Promise<Settings> = loadSettings();
  void settings.then((first) => onCheckCanvases?.(first.checkCanvases));
  watchSettings((next) => {
    void settings.then((before) => {
      if (JSON.stringify(before.customTags) !== JSON.stringify(next.customTags)) onCustomTagsChanged(next.customTags);
      if (before.checkCanvases !== next.checkCanvases) onCheckCanvases?.(next.checkCanvases);
      onChanged?.(before, next);
    });
    settings = Promise.resolve(next);
  }, signal);
  // The personal model's version (cache keys and the host's reload) is kept current the same way.
  let personalStatuses: Promise<PersonalStatuses> = loadPersonalStatuses();
  watchPersonalStatuses((next) => (personalStatuses = Promise.resolve(next)), signal);

  return {
    settings: (): Promise<Settings> => settings,
    /** What the model host runs for the current settings, but the detectors (each request names those). */
    async hostConfig(): Promise<Omit<ModelConfig, 'detectors'>> {
      const { model, backend, trainedModel, modelWorkers } = await settings;
      const personal = (await personalStatuses)[model]?.version ?? null;
      return { model, backend, personal, trained: trainedModel, workers: modelWorkers };
    },
    /**
     * Stores a training's outcome. Known here before the storage watcher hears of it, so pages that
     * ask again at once get the new model.
     */
    async recordTraining(model: ModelId, result: TrainResult): Promise<void> {
      personalStatuses = Promise.resolve(await recordTrainResult(model, result));
    },
  };
}

export type LiveSettings = ReturnType<typeof createLiveSettings>;
