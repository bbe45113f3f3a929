// "Your own tags": the user adds a tag by name (it then appears under "Tag" on images, in the context
// menu and in the tag list, and is learned from their marks like the personal tags), or removes one.
import { i18n } from '#i18n';
import { useState } from 'preact/hooks';
import { MAX_CUSTOM_TAGS, MAX_TAG_LABEL, TAGS, customTagId, tagLabel, type CustomTag } from '../tags/vocabulary';
import type { SettingsControls } from './use-settings';

/** Why `label` cannot be added, or null with the new tag. Pure, for tests. */
export function newCustomTag(label: string, existing: readonly CustomTag[]): { tag: CustomTag } | { error: string } {
  const name = label.trim();
  if (name === '') return { error: i18n.t('options.customTags.noName') };
  if (name.length > MAX_TAG_LABEL) return { error: i18n.t('options.customTags.tooLong', [MAX_TAG_LABEL + 1]) };
  if (existing.length >= MAX_CUSTOM_TAGS) return { error: i18n.t('options.customTags.tooMany', [MAX_CUSTOM_TAGS]) };
  const lower = name.toLowerCase();
  // A vocabulary tag by its id, its English name (datasets, docs) or its name in the browser's language.
  if (TAGS.some((t) => t.id === lower || t.label.toLowerCase() === lower || tagLabel(t.id).toLowerCase() === lower)) {
    return { error: i18n.t('options.customTags.isMegane', [name]) };
  }
  const id = customTagId(name);
  if (id === null) return { error: i18n.t('options.customTags.noName') };
  if (existing.some((t) => t.id === id || t.label.toLowerCase() === lower))
    return { error: i18n.t('options.customTags.duplicate', [name]) };
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
      <h3>{i18n.t('options.customTags.heading')}</h3>
      <p class="hint">{i18n.t('options.customTags.hint')}</p>
      {customTags.length > 0 && (
        <ul class="custom-tag-list">
          {customTags.map((t) => (
            <li key={t.id} data-tag={t.id}>
              <span>{t.label}</span>
              <button
                type="button"
                class="custom-tag-remove"
                aria-label={i18n.t('options.customTags.removeTag', [t.label])}
                onClick={() => remove(t)}
              >
                {i18n.t('options.remove')}
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
          {i18n.t('options.customTags.newName')}
        </label>
        <input
          id="custom-tag-label"
          type="text"
          maxLength={MAX_TAG_LABEL}
          placeholder={i18n.t('options.customTags.placeholder')}
          value={label}
          onInput={(e) => setLabel(e.currentTarget.value)}
        />
        <button type="submit" id="custom-tag-add">
          {i18n.t('options.customTags.add')}
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
