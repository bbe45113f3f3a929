// Small checks for reading untrusted JSON (stored records, imported files, messages) and for turning
// what was found into messages. Pure; no browser or Node APIs.

/** A plain object (not null, not an array), whose fields can be read one by one. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** A whole number of things: 0, 1, 2, ... */
export const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 0;

/**
 * A value as a message shows it: numbers as written (NaN and Infinity too, which JSON would print as
 * null), anything else as JSON cut to 60 characters.
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'number') return String(value);
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** An error's message, or whatever was thrown as text. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
