// What `npm run bench`'s tag part measured (written to docs/bench/tags.json) and its markdown tables.
// Pure: bench-tags.ts prints what this returns, scripts/docs-tables.ts renders it into docs/.
import { machineLine, type MachineFacts } from '../bench-machine';

export interface TagsBench extends MachineFacts {
  /** tfjs backend the models ran on. */
  backend: string;
  /** NSFW model id. */
  model: string;
  images: number;
  /** Mean ms per image of each model run, one image per call. */
  msPerImage: {
    /** The NSFW model alone (before tags existed). */
    nsfwAlone: number;
    /** The NSFW model plus its embedding heads: what runs while only the NSFW rule is on. */
    nsfwWithHeads: number;
    /** BlazeFace + FaceRes (face, girl, boy). */
    faces: number;
    /** CenterNet (cat, dog, food). */
    objects: number;
  };
  /** Each detector's mean ms per image at several batch sizes. */
  detectorBatches: { detector: string; batchSizes: number[]; msPerImage: number[] }[];
}

const ms = (n: number) => n.toFixed(0);

export function formatTagsReport(bench: TagsBench): string {
  const { nsfwAlone, nsfwWithHeads, faces, objects } = bench.msPerImage;
  const row = (name: string, loaded: string, perImage: number) =>
    `| ${name} | ${loaded} | ${ms(perImage)} | ${(1000 / perImage).toFixed(1)} |`;
  const sizes = bench.detectorBatches[0]?.batchSizes ?? [];
  return [
    `## Tag rules: cost per image (tfjs ${bench.backend.toUpperCase()}, ${bench.model}, ${bench.images} gallery images)`,
    '',
    machineLine(bench),
    '',
    '| rules on | models loaded | ms/image | img/s |',
    '|---|---|---|---|',
    row('(before tags: the NSFW model alone)', 'NSFW model', nsfwAlone),
    row(
      'NSFW only (default), or any tag its heads score alone (photo, illust; face and food with the detectors off)',
      'NSFW model + heads',
      nsfwWithHeads,
    ),
    row('+ a face/girl/boy rule', '+ BlazeFace + FaceRes', nsfwWithHeads + faces),
    row('+ a cat/dog/food rule', '+ CenterNet', nsfwWithHeads + objects),
    row('+ both', 'all', nsfwWithHeads + faces + objects),
    '',
    `| detector | ${sizes.map((s, i) => (i === 0 ? `batch ${s} ms/image` : `batch ${s}`)).join(' | ')} |`,
    `|---|${sizes.map(() => '---').join('|')}|`,
    ...bench.detectorBatches.map((d) => `| ${d.detector} | ${d.msPerImage.map(ms).join(' | ')} |`),
    '',
    'With only the NSFW rule on, no detector is loaded (the e2e test checks the popup says "not loaded"), so the default row is the whole cost: the heads (photo, illust, face, food on this model) add one dot product each to the NSFW model run.',
  ].join('\n');
}
