// The imported trained model the settings name, without its weights: the tag list asks it which tags
// it scores. Null while none is chosen, while reading, or when it cannot be read (then nothing is
// claimed for it, as if it were not there).
import { useEffect, useState } from 'preact/hooks';
import { listTrainedModels, type TrainedModelSummary } from '../trained/trained-model-store';

export function useTrainedModel(id: string | null): TrainedModelSummary | null {
  const [summary, setSummary] = useState<TrainedModelSummary | null>(null);
  useEffect(() => {
    setSummary(null);
    if (id === null) return;
    let current = true;
    listTrainedModels().then(
      (models) => current && setSummary(models.find((m) => m.id === id) ?? null),
      (e: unknown) => console.warn('[Megane] could not read the trained models:', e),
    );
    return () => {
      current = false;
    };
  }, [id]);
  return summary;
}
