// "Your own tags": the user adds a tag by name (it then appears under "Tag" on images, in the context
// menu and in the tag list, and is learned from their marks like the personal tags), or removes one.
import { useState } from 'preact/hooks';
import { MAX_CUSTOM_TAGS, MAX_TAG_LABEL, TAGS, customTagId, type CustomTag } from '../tags/vocabulary';
import type { SettingsControls } from './use-settings';

/** Why `label` cannot be added, or null with the new tag. Pure, for tests. */
export function newCustomTag(label: string, existing: readonly CustomTag[]): { tag: CustomTag } | { error: string } {
  const name = label.trim();
  if (name === '') return { error: 'Give the tag a name.' };
  if (name.length > MAX_TAG_LABEL) return { error: `Keep the name under ${MAX_TAG_LABEL + 1} characters.` };
  if (existing.length >= MAX_CUSTOM_TAGS) return { error: `You can have at most ${MAX_CUSTOM_TAGS} tags of your own.` };
  const lower = name.toLowerCase();
  if (TAGS.some((t) => t.label.toLowerCase() === lower || t.id === lower)) return { error: `"${name}" is already a Megane tag.` };
  const id = customTagId(name);
  if (id === null) return { error: 'Give the tag a name.' };
  if (existing.some((t) => t.id === id || t.label.toLowerCase() === lower)) return { error: `You already have a tag "${name}".` };
  return { tag: { id, label: name } };
}

export function CustomTagsEditor({ customTags, update }: { customTags: readonly CustomTag[]; update: SettingsControls['update'] }) {
  const [label, setLabel] = useState('');
  const [error, setError] = useState<string | null>(null);

  const add = () => {
    const made = newCustomTag(label, customTags);
    if ('error' in made) {
      setError(made.error);
      return;
    }
    setError(null);
    setLabel('');
    // From the stored settings at write time, so a tag added meanwhile elsewhere is kept.
    update((current) => {
      const again = newCustomTag(made.tag.label, current.customTags);
      return 'tag' in again ? { customTags: [...current.customTags, again.tag] } : {};
    });
  };
  const remove = (tag: CustomTag) =>
    update((current) => {
      const { [tag.id]: _rule, ...tags } = current.tags;
      return { customTags: current.customTags.filter((t) => t.id !== tag.id), tags };
    });

  return (
    <div class="custom-tags" id="custom-tags">
      <h3>Your own tags</h3>
      <p class="hint">
        Add a tag of your own to mark images with (under "Tag" on an image and in its right-click menu). Megane learns it from your marks,
        like the personal tags. Removing a tag keeps the marks that use it.
      </p>
      {customTags.length > 0 && (
        <ul class="custom-tag-list">
          {customTags.map((t) => (
            <li key={t.id} data-tag={t.id}>
              <span>{t.label}</span>
              <button type="button" class="custom-tag-remove" aria-label={`Remove the tag ${t.label}`} onClick={() => remove(t)}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <form
        class="custom-tag-add"
        onSubmit={(e) => {
          e.preventDefault();
          add();
        }}
      >
        <label for="custom-tag-label" class="visually-hidden">
          New tag name
        </label>
        <input
          id="custom-tag-label"
          type="text"
          maxLength={MAX_TAG_LABEL}
          placeholder="e.g. Rainbows"
          value={label}
          onInput={(e) => setLabel(e.currentTarget.value)}
        />
        <button type="submit" id="custom-tag-add">
          Add tag
        </button>
      </form>
      {error && (
        <p class="error" role="alert" id="custom-tag-error">
          {error}
        </p>
      )}
    </div>
  );
}
