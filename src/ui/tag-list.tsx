// "Hide by tag": every tag of the vocabulary, grouped, each with a hide switch and a threshold (or, in
// the popup's short form, only the tags that hide something). Shared by the popup and the options page. The switch writes at once; the threshold is debounced
// like the NSFW slider. A rule that says nothing is removed rather than stored (tag-view.ts).
import type { Settings } from '../settings/schema';
import type { AnyTagSpec } from '../tags/vocabulary';
import './tag-list.css';
import { SliderTagRow, TagRow } from './tag-row';
import { hidingTags, TAG_GROUPS, tagRule, tagScorer, tagsInGroup, withTagRule } from './tag-view';
import { usePersonalStatuses } from './use-personal-statuses';
import { useTrainedModel } from './use-trained-model';
import type { SettingsControls } from './use-settings';

export interface TagListProps {
  /**
   * The settings the list shows: the tag rules, the NSFW threshold (shown on the NSFW row, which the
   * slider governs), the NSFW model (the personal model learned for it decides which feedback tags can
   * hide), the user's own tags (listed at the end of the personal group), and the trained model that
   * runs with the source chosen per tag.
   */
  settings: Pick<Settings, 'tags' | 'nsfwThreshold' | 'model' | 'customTags' | 'trainedModel' | 'tagSources' | 'useDetectors'>;
  update: SettingsControls['update'];
  saveSoon: SettingsControls['saveSoon'];
  flush: SettingsControls['flush'];
  /** Only the tags that hide something (the popup's short list); NSFW's row, which the slider sets, is left out. */
  onlyOn?: boolean;
}

export function TagList({ settings, update, saveSoon, flush, onlyOn = false }: TagListProps) {
  const { tags, nsfwThreshold, model, customTags, trainedModel, tagSources, useDetectors } = settings;
  const personal = usePersonalStatuses()[model]?.stats;
  const trained = useTrainedModel(trainedModel);
  const trainedTags: readonly string[] = trained?.descriptor.tags ?? [];
  const hide = (spec: AnyTagSpec, on: boolean) =>
    // From the stored rules at write time, so a change made meanwhile elsewhere is kept.
    update((current) => ({ tags: withTagRule(current.tags, spec, { ...tagRule(current.tags, spec.id), hide: on }) }));
  const setThreshold = (spec: AnyTagSpec, threshold: number) =>
    saveSoon({ tags: withTagRule(tags, spec, { ...tagRule(tags, spec.id), threshold }) });

  const row = (spec: AnyTagSpec) =>
    spec.id === 'nsfw' ? (
      <SliderTagRow key={spec.id} spec={spec} threshold={nsfwThreshold} />
    ) : (
      <TagRow
        key={spec.id}
        spec={spec}
        rule={tagRule(tags, spec.id)}
        onHide={(on) => hide(spec, on)}
        onThreshold={(threshold) => setThreshold(spec, threshold)}
        onCommit={flush}
        {...(personal?.[spec.id] ? { personal: personal[spec.id] } : {})}
        scorer={tagScorer(spec, personal?.[spec.id], trainedTags, tagSources)}
        {...(trained ? { trainedName: trained.descriptor.name } : {})}
        detectorsOn={useDetectors}
      />
    );

  if (onlyOn) {
    // One short list, no group headings: the popup's room is for the rules themselves.
    const on = hidingTags(tags, customTags);
    return (
      <div class="tag-list" id="tag-list" data-testid="tag-list" data-only-on="true">
        <ul class="tag-rows">{on.map(row)}</ul>
      </div>
    );
  }
  return (
    <div class="tag-list" id="tag-list" data-testid="tag-list">
      {TAG_GROUPS.map(({ group, heading }) => (
        <section key={group} class="tag-group" aria-labelledby={`tag-group-${group}`}>
          <h3 id={`tag-group-${group}`}>{heading()}</h3>
          <ul class="tag-rows">{tagsInGroup(group, customTags).map(row)}</ul>
        </section>
      ))}
    </div>
  );
}
