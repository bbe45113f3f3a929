// A PIN box with its label: a password input, never autofilled with a saved password (the lock's
// prompt, and setting a new PIN on the options page).
export interface PinFieldProps {
  id: string;
  label: string;
  value: string;
  onInput: (value: string) => void;
  /** 'new-password' when setting a PIN, 'off' when asking for it. */
  autoComplete: 'new-password' | 'off';
  /** The PIN just given was wrong; `describedBy` says so. */
  invalid?: boolean;
  describedBy?: string;
  autoFocus?: boolean;
}

export function PinField({ id, label, value, onInput, autoComplete, invalid = false, describedBy, autoFocus = false }: PinFieldProps) {
  return (
    <>
      <label for={id}>{label}</label>
      <input
        type="password"
        id={id}
        data-testid={id}
        autoComplete={autoComplete}
        // biome-ignore lint/a11y/noAutofocus: only the lock's prompt asks for it, which exists to ask for the PIN
        autoFocus={autoFocus}
        value={value}
        aria-invalid={invalid}
        aria-describedby={describedBy}
        onInput={(e) => onInput(e.currentTarget.value)}
      />
    </>
  );
}
