// The bench's pages, as HTML strings: 1,000 image elements (some in open and closed shadow roots) and
// a feed of autoplaying clips. Each page counts, for the bench, when its elements get Megane's verdict
// (data-megane="shown": the page may read that much) by watching the document and its own shadow roots.

/** The script every bench page runs first: it tracks `window.__tracked` and reports on `window.__bench`. */
const TRACKER = `
  window.__bench = { shown: 0, covered: 0, lastChange: 0, allShownAt: 0, loadAt: 0 };
  window.__tracked = [];
  window.__roots = [];
  const recount = () => {
    let shown = 0;
    let covered = 0;
    for (const el of window.__tracked) {
      const state = el.getAttribute('data-megane');
      if (state === 'shown') shown++;
      else if (state === 'covered') covered++;
    }
    const b = window.__bench;
    if (shown !== b.shown || covered !== b.covered) b.lastChange = performance.now();
    b.shown = shown;
    b.covered = covered;
    // Every element tracked (the page has finished building itself) and shown.
    const built = document.readyState !== 'loading' && window.__tracked.length > 0;
    if (built && shown === window.__tracked.length && !b.allShownAt) b.allShownAt = performance.now();
  };
  const observer = new MutationObserver(recount);
  window.__watch = (root) => observer.observe(root, { subtree: true, attributes: true, attributeFilter: ['data-megane'] });
  window.__watch(document);
  addEventListener('load', () => { window.__bench.loadAt = performance.now(); });
`;

/** Images in the document and in shadow roots: `count` elements over `distinct` URLs at `imageUrl(i)`. */
export function imagesPage(count: number, distinct: number, imageUrl: (i: number) => string): string {
  const size = 96;
  const box = `width:${size}px;height:${size}px;display:inline-block;margin:2px`;
  const urls = Array.from({ length: count }, (_, i) => imageUrl(i % distinct));
  // Two fifths in the document as <img>, one fifth as CSS backgrounds, two fifths in shadow roots (a
  // card holds one <img> and one background; half the cards open, half closed).
  const imgs = Math.floor((count * 2) / 5);
  const backgrounds = Math.floor(count / 5);
  const cards = Math.floor((count - imgs - backgrounds) / 2);
  const body: string[] = [];
  let next = 0;
  for (let i = 0; i < imgs; i++) body.push(`<img class="t" src="${urls[next++]}" width="${size}" height="${size}" alt="">`);
  for (let i = 0; i < backgrounds; i++) body.push(`<div class="t" style="${box};background:url('${urls[next++]}') center/cover"></div>`);
  for (let i = 0; i < cards; i++) {
    body.push(`<bench-card data-mode="${i % 2 ? 'closed' : 'open'}" data-a="${urls[next++]}" data-b="${urls[next++]}"></bench-card>`);
  }
  return `<!doctype html><meta charset="utf-8"><title>1,000 images</title><body>
<script>${TRACKER}
  customElements.define('bench-card', class extends HTMLElement {
    connectedCallback() {
      const root = this.attachShadow({ mode: this.dataset.mode });
      root.innerHTML = '<img src="' + this.dataset.a + '" width="${size}" height="${size}" alt="">' +
        '<div style="${box};background:url(' + "'" + this.dataset.b + "'" + ') center/cover"></div>';
      window.__roots.push(root);
      window.__watch(root);
      window.__tracked.push(...root.querySelectorAll('img, div'));
    }
  });
</script>
${body.join('\n')}
<script>window.__tracked.push(...document.querySelectorAll('.t'));</script>
</body>`;
}

/** Autoplaying muted looping clips: `files` at their URLs, `blobs` fetched and played from blob: URLs. */
export function clipsPage(files: string[], blobs: string[]): string {
  const size = 160;
  const video = (attrs: string) => `<video class="t" width="${size}" height="${size}" muted playsinline autoplay loop ${attrs}></video>`;
  return `<!doctype html><meta charset="utf-8"><title>Clips</title><body>
<script>${TRACKER}</script>
${files.map((url) => video(`src="${url}"`)).join('\n')}
${blobs.map((url) => video(`data-blob="${url}"`)).join('\n')}
<script>
  window.__tracked.push(...document.querySelectorAll('.t'));
  for (const video of document.querySelectorAll('video[data-blob]')) {
    fetch(video.dataset.blob).then((r) => r.blob()).then((blob) => {
      video.src = URL.createObjectURL(blob);
      video.play();
    });
  }
</script>
</body>`;
}

/**
 * Runs in the page: what one sample of a stream costs the content script (classify-client.ts's
 * rasterise: the video drawn on a fresh canvas at model size, encoded as a PNG data: URL), median ms.
 * Each sample waits for a new frame of the video, as the sampler's do.
 */
export async function sampleCostInPage([size, reps]: [number, number]): Promise<number> {
  const video = document.querySelector<HTMLVideoElement>('video[data-blob]');
  if (!video || video.readyState < 2) throw new Error('no blob: clip is playing');
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    await new Promise<void>((resolve) => video.requestVideoFrameCallback(() => resolve()));
    const started = performance.now();
    const canvas = document.createElement('canvas');
    canvas.width = size;
    canvas.height = size;
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no 2D canvas');
    context.imageSmoothingQuality = 'high';
    context.drawImage(video, 0, 0, size, size);
    canvas.toDataURL('image/png');
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? 0;
}
