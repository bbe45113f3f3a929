// The first-run page (welcome.html) opens once, when Megane is installed: never on an update, a
// browser update or a restart. Chrome reports an unpacked extension loaded from the command line as
// installed again at every launch, so a flag in storage.local says it was shown (an uninstall clears
// it: a new install shows it again). The options page can open it again.
export const WELCOME_PAGE = '/welcome.html';
const SHOWN_KEY = 'firstRunShown';

export interface FirstRunDeps {
  storage: {
    get(key: string): Promise<Record<string, unknown>>;
    set(items: Record<string, unknown>): Promise<void>;
  };
  open(): Promise<unknown>;
}

/** Whether an `runtime.onInstalled` event is an install (not an update of any kind). */
export function isInstall(details: { reason: string }): boolean {
  return details.reason === 'install';
}

/** Opens the first-run page for an install, unless it was shown before in this profile. */
export async function openWelcomeOnce(details: { reason: string }, deps: FirstRunDeps): Promise<boolean> {
  if (!isInstall(details)) return false;
  if ((await deps.storage.get(SHOWN_KEY))[SHOWN_KEY] === true) return false;
  await deps.storage.set({ [SHOWN_KEY]: true });
  await deps.open();
  return true;
}
