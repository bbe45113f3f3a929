// "Personal tags" on the options page: for each tag learned from the user's marks, how many examples
// there are, what the last training found, and a button to train now. The background retrains by
// itself after marks change; the table follows the stored status as it changes.
import { i18n } from '#i18n';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { MarkRecord } from '../marks/mark-types';
import type { CustomTag } from '../tags/vocabulary';
import { sendPopupToBackground } from '../messaging/popup-background';
import { MODELS, type ModelId } from '../model/catalog';
import { PERSONAL_TAGS, exampleCounts } from '../personal/personal-examples';
import type { PersonalStatus } from '../personal/personal-status';
import { tagLabel } from '../tags/vocabulary';
import './marks.css';
import { accuracyText, personalTagStatus } from './personal-tag-view';
import { usePersonalStatuses } from './use-personal-statuses';
import { errorText } from '../util/checks';

export function PersonalTagsSection({
  records,
  model,
  customTags = [],
}: {
  records: MarkRecord[] | null;
  model: ModelId;
  customTags?: readonly CustomTag[];
}) {
  const statuses = usePersonalStatuses();
  const counts = useMemo(() => exampleCounts(records ?? [], model), [records, model]);
  const status = statuses[model];

  return (
    <section class="card" aria-labelledby="personal-heading">
      <h2 id="personal-heading">{i18n.t('options.personal.heading')}</h2>
      <p class="hint">{i18n.t('options.personal.hint', [MODELS[model].name, tagLabel('like'), tagLabel('dislike')])}</p>
      <div class="table-scroll">
        <table id="personal-tags" class="personal-tags">
          <caption class="visually-hidden">{i18n.t('options.personal.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{i18n.t('options.personal.tag')}</th>
              <th scope="col" class="num">
                {i18n.t('options.personal.positive')}
              </th>
              <th scope="col" class="num">
                {i18n.t('options.personal.negative')}
              </th>
              <th scope="col" class="num">
                {i18n.t('options.personal.accuracy')}
              </th>
              <th scope="col">{i18n.t('options.personal.status')}</th>
            </tr>
          </thead>
          <tbody>
            {[...PERSONAL_TAGS, ...customTags.map((t) => t.id)].map((tag) => {
              const count = counts[tag] ?? { positives: 0, negatives: 0 };
              const summary = status?.stats[tag];
              return (
                <tr
                  key={tag}
                  data-tag={tag}
                  data-trained={summary?.trained ? 'true' : 'false'}
                  data-trusted={summary?.trusted ? 'true' : 'false'}
                >
                  <th scope="row">{tagLabel(tag, customTags)}</th>
                  <td class="num positives">{count.positives}</td>
                  <td class="num negatives">{count.negatives}</td>
                  <td class="num accuracy">{accuracyText(summary)}</td>
                  <td class="status">{personalTagStatus(count, summary)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p id="personal-status" class={status?.error ? 'error' : 'hint'}>
        {statusLine(status)}
      </p>
      <TrainNow />
    </section>
  );
}

function statusLine(status: PersonalStatus | undefined): string {
  if (status === undefined) return i18n.t('options.personal.notTrained');
  const when = new Date(status.finishedAt).toLocaleString();
  if (status.error) return i18n.t('options.personal.failed', [when, status.error]);
  return i18n.t('options.personal.trained', status.examples, [when, status.examples]);
}

function TrainNow() {
  const [training, setTraining] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const mounted = useRef(true);
  useEffect(
    () => () => {
      mounted.current = false;
    },
    [],
  );

  const train = async () => {
    setTraining(true);
    setError(null);
    try {
      // The background answers when the training is over; the table updates from storage.
      await sendPopupToBackground({ channel: 'popup->background', type: 'train-personal' });
    } catch (e) {
      if (mounted.current) setError(i18n.t('options.personal.trainFailed', [errorText(e)]));
    } finally {
      if (mounted.current) setTraining(false);
    }
  };

  return (
    <div class="row">
      <button type="button" id="train-now" disabled={training} aria-busy={training} onClick={() => void train()}>
        {training ? i18n.t('options.personal.training') : i18n.t('options.personal.train')}
      </button>
      {error && (
        <span class="error" role="alert" id="train-error">
          {error}
        </span>
      )}
    </div>
  );
}

/** The stored training outcomes, kept current; null until the first read. */
