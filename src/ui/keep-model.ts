// The choices the options page offers for how long the model stays loaded after the last image
// (the `keepModelMinutes` setting; a value set another way, such as an imported settings file, is
// listed too).
export const KEEP_MODEL_CHOICES = [1, 5, 15, 60, 480] as const;

export function keepModelLabel(minutes: number): string {
  const text = minutes % 60 === 0 ? `${minutes / 60} hour${minutes === 60 ? '' : 's'}` : `${minutes} minute${minutes === 1 ? '' : 's'}`;
  return minutes === 5 ? `${text} (default)` : text;
}
