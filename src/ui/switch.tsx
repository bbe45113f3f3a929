// An on/off control: a real checkbox (keyboard, forms and screen readers all work) announced as a
// switch and drawn as one by base.css.
import type { ComponentChildren } from 'preact';

export interface SwitchProps {
  id: string;
  checked: boolean;
  disabled?: boolean;
  onChange: (checked: boolean) => void;
  children: ComponentChildren;
  /** id of an element that explains the switch (e.g. why it is disabled). */
  describedBy?: string;
}

export function Switch({ id, checked, disabled = false, onChange, children, describedBy }: SwitchProps) {
  return (
    <label class="switch" for={id}>
      <span class="switch-label">{children}</span>
      <input
        type="checkbox"
        role="switch"
        id={id}
        data-testid={id}
        checked={checked}
        disabled={disabled}
        aria-describedby={describedBy}
        onChange={(e) => onChange(e.currentTarget.checked)}
      />
      <span class="switch-track" aria-hidden="true" />
    </label>
  );
}
