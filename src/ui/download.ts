// Saving a file from an extension page without the downloads permission: a Blob URL and a click on
// an <a download>. The URL is revoked a while later, once the browser has started reading it.
const REVOKE_AFTER_MS = 60_000;

export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS);
}

/** The file chosen in a file input's change event, or null; the input is cleared so the same file can be chosen again. */
export function takeChosenFile(event: Event): File | null {
  const input = event.currentTarget as HTMLInputElement | null;
  const file = input?.files?.[0] ?? null;
  if (input) input.value = '';
  return file;
}
