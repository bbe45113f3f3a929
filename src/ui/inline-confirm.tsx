// A button that asks once more in place, instead of window.confirm (which a page cannot block and
// tests can drive): the question, a danger button that does it, and Cancel. Focus moves to the answer
// while asked and back to the button after. Ids (also test ids): `id`, `${id}-confirm`, `${id}-cancel`.
import { i18n } from '#i18n';
import { useRef, useState } from 'preact/hooks';

export function InlineConfirm(props: {
  id: string;
  /** The button's text. */
  label: string;
  question: string;
  /** The danger button's text. */
  confirmLabel: string;
  /** What the question and its two buttons are, for a screen reader. */
  groupLabel: string;
  onConfirm: () => void;
}) {
  const { id, label, question, confirmLabel, groupLabel, onConfirm } = props;
  const [asking, setAsking] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const confirm = useRef<HTMLButtonElement>(null);
  const ask = (on: boolean) => {
    setAsking(on);
    setTimeout(() => (on ? confirm : button).current?.focus());
  };
  return asking ? (
    <div class="row" role="group" aria-label={groupLabel}>
      <span>{question}</span>
      <button
        ref={confirm}
        type="button"
        id={`${id}-confirm`}
        data-testid={`${id}-confirm`}
        class="danger"
        onClick={() => {
          ask(false);
          onConfirm();
        }}
      >
        {confirmLabel}
      </button>
      <button type="button" id={`${id}-cancel`} data-testid={`${id}-cancel`} onClick={() => ask(false)}>
        {i18n.t('options.cancel')}
      </button>
    </div>
  ) : (
    <button ref={button} type="button" id={id} data-testid={id} onClick={() => ask(true)}>
      {label}
    </button>
  );
}
