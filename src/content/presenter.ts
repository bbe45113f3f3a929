// What a person sees on each image: the state attribute the cover stylesheet reads (cover-style.ts;
// state-guard.ts puts back whatever the page changes of it), the label on a covered image, the top tags on hover, and the mark buttons. It shows what the
// verdict store decided and never decides itself. Every word is a message in the user's language.
import { i18n } from '#i18n';
import type { MarkAction, Marks } from '../marks/mark-types';
import type { Settings } from '../settings/schema';
import { topTags } from '../tags/tag-rules';
import { tagLabel } from '../tags/vocabulary';
import { COVERED, SHOWN, STATE_ATTR } from './cover-style';
import { percent } from '../util/percent';
import { isCoveredByVerdict, isCoveredState } from './decide';
import { IMAGE_ELEMENT_SELECTOR } from './image-sources';
import { createLabelLayer } from './labels';
import { createMarkControls } from './mark-controls';
import { guardStates } from './state-guard';
import type { Tracked } from './verdict-store';

/** The label on an image that has waited STILL_CHECKING_MS for its verdict (scanner.ts). */
export const stillChecking = (): string => i18n.t('page.stillChecking');

export interface PresenterActions {
  /** The user asked to see a covered image (its label's button). */
  reveal(el: Element): void;
  /** The user marked an image with the hover buttons. */
  mark(el: Element, action: MarkAction): void;
}

export interface Presenter {
  /** Shows the entry's current display on its element, with `marks` on the mark buttons. */
  show(el: Element, entry: Tracked, marks: Marks | undefined): void;
  /** Whether the element shows what the entry decided (covered or shown), or was covered since. */
  reflects(el: Element, entry: Tracked): boolean;
  /** The element's image is changing: cover it again, as unchecked, if Megane had marked it. */
  unsettle(el: Element): void;
  /** The element paints nothing Megane checks: let it show (the cover stylesheet covers image tags). */
  leaveAlone(el: Element): void;
  /** Takes the element's label off (it is no longer tracked). */
  forget(el: Element): void;
  /** The page changed: labels follow their elements. */
  changed(): void;
  /** The pointer is on a tracked element: the top tags and the mark buttons, as the settings say. */
  hover(el: Element, entry: Tracked, marks: Marks | undefined): void;
  /** The pointer left an element: the top tags go; the mark buttons go soon if it was a tracked one. */
  pointerLeft(fromTracked: boolean): void;
  /** A short note under the mark buttons (e.g. a save failed). */
  note(text: string): void;
}

export function createPresenter(doc: Document, settings: () => Settings, actions: PresenterActions, signal: AbortSignal): Presenter {
  const labels = createLabelLayer(doc, actions.reveal, signal);
  const controls = createMarkControls(doc, actions.mark, () => settings().customTags, signal);
  const states = guardStates(doc, signal);

  return {
    show(el, { display, slow }, marks) {
      // The page learns covered or shown, never why.
      states.set(el, isCoveredState(display.state) ? COVERED : SHOWN);
      if (display.state === 'error') labels.set(el, display.label, display.error);
      else if (display.state === 'pending' && slow) labels.set(el, stillChecking(), i18n.t('page.stillCheckingDetail'));
      else if (isCoveredByVerdict(display.state) && 'label' in display) labels.set(el, display.label, i18n.t('page.clickToShow'));
      else labels.remove(el);
      controls.refresh(el, marks, isCoveredState(display.state));
    },
    reflects: (el, { display }) => el.getAttribute(STATE_ATTR) === (isCoveredState(display.state) ? COVERED : SHOWN),
    unsettle(el) {
      if (el.hasAttribute(STATE_ATTR)) states.set(el, COVERED);
    },
    leaveAlone(el) {
      if (el.hasAttribute(STATE_ATTR) || el.matches(IMAGE_ELEMENT_SELECTOR)) states.set(el, SHOWN);
    },
    forget: (el) => labels.remove(el),
    changed: () => labels.update(),
    hover(el, entry, marks) {
      const current = settings();
      if (current.showTagsOnHover) {
        const scores = entry.results.find((r) => r?.ok);
        labels.hint(
          el,
          scores?.ok
            ? topTags(scores.scores, 3, current)
                .map((t) => `${tagLabel(t.id, current.customTags)} ${percent(t.score)}`)
                .join(' · ')
            : '',
        );
      }
      if (current.showMarkControls && entry.display.state !== 'pending') controls.show(el, marks, isCoveredState(entry.display.state));
    },
    pointerLeft(fromTracked) {
      labels.hint(null);
      if (fromTracked) controls.leave();
    },
    note: (text) => controls.note(text),
  };
}
