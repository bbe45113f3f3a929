// The reference's content script, as NSFW Filter and HaramBlur work: every <img> is blurred by a
// stylesheet until its verdict comes; each one found sends its URL to the service worker and, on the
// answer, is marked data-peer="shown" or "covered" (the bench page watches that attribute). No
// priorities, no cache, no time budget: the page's order, one message per image.
import type { ClassifyRequest, PeerAnswer } from './protocol';

const style = document.createElement('style');
style.textContent = 'img:not([data-peer="shown"]) { filter: blur(24px) !important; }';
document.documentElement.append(style);

const sent = new WeakSet<HTMLImageElement>();

function check(img: HTMLImageElement): void {
  const url = img.currentSrc || img.src;
  if (sent.has(img) || !url || url.startsWith('data:')) return;
  sent.add(img);
  const request: ClassifyRequest = { type: 'peer-classify', url };
  chrome.runtime.sendMessage(request).then(
    (answer: PeerAnswer | undefined) => {
      img.dataset.peer = answer && 'nsfw' in answer ? (answer.nsfw ? 'covered' : 'shown') : 'error';
    },
    () => {
      img.dataset.peer = 'error';
    },
  );
}

function scan(node: Node): void {
  if (node instanceof HTMLImageElement) check(node);
  else if (node instanceof Element) for (const img of node.querySelectorAll('img')) check(img);
}

new MutationObserver((records) => {
  for (const record of records) {
    if (record.type === 'attributes') scan(record.target);
    else for (const node of record.addedNodes) scan(node);
  }
}).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['src'] });
scan(document.documentElement);
