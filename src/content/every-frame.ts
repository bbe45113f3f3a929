// Where Megane's content scripts run: every frame of every page from its start, including about:blank
// and srcdoc frames, and (as the fallback to their creator's origin) data: and blob: frames, which
// <all_urls> does not match. The isolated-world script and the page-world one must reach the same
// frames, so both entrypoints spread this.
export const EVERY_FRAME: {
  matches: string[];
  runAt: 'document_start';
  allFrames: boolean;
  matchAboutBlank: boolean;
  matchOriginAsFallback: boolean;
} = {
  matches: ['<all_urls>'],
  runAt: 'document_start',
  allFrames: true,
  matchAboutBlank: true,
  matchOriginAsFallback: true,
};
