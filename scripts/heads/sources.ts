// Where the training images come from: openly licensed images that Debian packages install, each
// labelled by where it sits (a folder of photos, a folder of drawings). Labels were checked by eye on
// contact sheets of every listed folder; see the licence notes for the copyright file each one quotes.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { art4appsLabels, NONE, openclipartLabels, scratchLabels, tuxpaintLabels, wesnothLabels, type ContentLabels } from './labels';
import { readRcc } from './rcc';

export type Kind = 'photo' | 'drawing';

export interface SourceImage {
  /** Stable identity: "<package>:<path>" (path inside an .rcc bundle after "!"). Sorting and the split use it. */
  key: string;
  /** Path on disk, or "<bundle>!<path inside>" for GCompris's resource bundles. */
  path: string;
  /** Reads the encoded file (JPEG, PNG, WebP or SVG). */
  read(): Buffer;
  /** Photo or drawing when the source mixes them (else the source's kind); null: can't tell, so not used for photo/illust. */
  kind?: Kind | null;
}

export interface Source {
  id: string;
  package: string;
  /** Photo or drawing; null when the source mixes them and says per image (SourceImage.kind). */
  kind: Kind | null;
  /**
   * False: the images teach the content tags only, not photo/illust. Clip art of things (Tux Paint,
   * Scratch, GCompris) and painted portraits (Wesnoth) on the illust side drew photos of things and
   * portrait photos there (the gallery's light bulb, soccer ball, astronaut).
   */
  forPhotoIllust?: false;
  /** What was taken, as a glob over installed paths (for the record in the head files). */
  glob: string;
  /** Licence as the package's copyright file states it, for the record in the head files. */
  licence: string;
  /**
   * Keep at most this many images that show none of the content tags, chosen by the seeded hash (big,
   * homogeneous folders would swamp the rest); every image labelled as showing a tag is kept.
   */
  limit?: number;
  list(): SourceImage[];
  /** What an image shows (labels.ts); sources of landscapes and things say NONE for all. */
  labels(image: SourceImage): ContentLabels;
}

const none = (): ContentLabels => ({ ...NONE });
/** Labels by file name for the listed paths (a picture of a cat among photos of animals), NONE for the rest. */
const byName =
  (named: Record<string, ContentLabels>) =>
  (image: SourceImage): ContentLabels => {
    const hit = Object.entries(named).find(([name]) => image.path.endsWith(name));
    return hit ? { ...NONE, ...hit[1] } : { ...NONE };
  };

const fileImage = (pkg: string, path: string): SourceImage => ({ key: `${pkg}:${path}`, path, read: () => readFileSync(path) });

/** Files under `dir` (recursively) whose path relative to `dir` matches `pattern`, sorted. */
function filesUnder(pkg: string, dir: string, pattern: RegExp): SourceImage[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .filter((p) => pattern.test(relative(dir, p)))
    .sort()
    .map((p) => fileImage(pkg, p));
}

function named(pkg: string, dir: string, names: readonly string[]): SourceImage[] {
  return names
    .map((n) => join(dir, n))
    .filter((p) => existsSync(p))
    .map((p) => fileImage(pkg, p));
}

const GCOMPRIS_RCC = '/usr/share/gcompris-qt/rcc';
const GCOMPRIS_ACTIVITIES = '/gcompris/src/activities/';

/** Images inside GCompris bundles whose path (after /gcompris/src/activities/) matches `pattern`. */
function gcompris(bundles: readonly string[], pattern: RegExp): SourceImage[] {
  const images: SourceImage[] = [];
  for (const bundle of bundles) {
    const file = join(GCOMPRIS_RCC, `${bundle}.rcc`);
    if (!existsSync(file)) continue;
    const wanted = (p: string) => p.startsWith(GCOMPRIS_ACTIVITIES) && pattern.test(p.slice(GCOMPRIS_ACTIVITIES.length));
    // Only the paths are kept here; the bundle is read again per image, which keeps memory flat.
    for (const entry of readRcc(readFileSync(file), wanted)) {
      const path = `${file}!${entry.path}`;
      images.push({
        key: `gcompris-qt-data:${path}`,
        path,
        read: () => {
          const found = readRcc(readFileSync(file), (p) => p === entry.path)[0];
          if (found === undefined) throw new Error(`${path} vanished`);
          return found.data;
        },
      });
    }
  }
  return images.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

const OPENCLIPART = '/usr/share/openclipart/svg';
/** Open Clip Art folders of pictures (not icons, symbols, patterns, gradients, maps or flags). */
const OPENCLIPART_FOLDERS = [
  'animals',
  'buildings',
  'containers',
  'decorations',
  'education',
  'electronics',
  'food',
  'office',
  'people',
  'plants',
  'recreation',
  'science',
  'tools',
  'transportation',
  'unsorted',
];

const TUXPAINT = '/usr/share/tuxpaint/stamps';
const WESNOTH_PORTRAITS = '/usr/share/games/wesnoth/1.16/data/core/images/portraits';
/** Tux Paint stamp categories with pictures of things, animals, food and people (not symbols or clothes alone). */
const TUXPAINT_CATEGORIES = ['animals', 'food', 'people', 'household', 'plants', 'town', 'vehicles', 'seasonal', 'space'];

export const SOURCES: readonly Source[] = [
  // ---- photos
  {
    id: 'gcompris-photos',
    package: 'gcompris-qt-data',
    kind: 'photo',
    glob: `${GCOMPRIS_RCC}/*.rcc!${GCOMPRIS_ACTIVITIES}{categorization/resource/images/{fishes,monuments,others,renewable,tools},erase/resource,explore_{farm,world}_animals/resource/animals,explore_monuments/resource/*,explore_world_music/resource/music,leftright/resource,clickgame/resource/sea*}/*.webp (not fishes/fish2)`,
    licence:
      "Per file in /usr/share/doc/gcompris-qt-data/copyright: mostly Wikimedia Commons photos under CC-BY-SA-2.0/3.0/4.0, CC-BY-1.0/2.0/3.0, GFDL-1.2 or public domain; contributors' photos under GPL-3+",
    list: () => [
      // fish2 is Duane Raver's drawing of a catfish (copyright file), the only non-photo in these folders.
      ...gcompris(
        ['categorization'],
        /^categorization\/resource\/images\/(fishes|monuments|others|renewable|tools)\/(?!fish2\.)[^/]+\.(webp|jpe?g|png)$/,
      ),
      ...gcompris(['erase'], /^erase\/resource\/[^/]+\.(webp|jpe?g)$/),
      ...gcompris(
        ['explore_farm_animals', 'explore_world_animals'],
        /^explore_(farm|world)_animals\/resource\/animals\/[^/]+\.(webp|jpe?g)$/,
      ),
      ...gcompris(['explore_monuments'], /^explore_monuments\/resource\/[^/]+\/[^/]+\.(webp|jpe?g)$/),
      ...gcompris(['explore_world_music'], /^explore_world_music\/resource\/music\/[^/]+\.(webp|jpe?g)$/),
      ...gcompris(['leftright'], /^leftright\/resource\/[^/]+\.(webp|jpe?g)$/),
      ...gcompris(['clickgame'], /^clickgame\/resource\/sea\d+\.(webp|jpe?g)$/),
    ],
    labels: (image) => {
      if (/\/(monuments|explore_monuments|explore_world_music|leftright)\//.test(image.path))
        return { cat: false, dog: false, food: false };
      return byName({
        'explore_farm_animals/resource/animals/cat.webp': { cat: true },
        'explore_farm_animals/resource/animals/dog.webp': { dog: true },
        'erase/resource/kitten.webp': { cat: true },
      })(image);
    },
  },
  {
    id: 'mate-nature',
    package: 'mate-backgrounds',
    kind: 'photo',
    glob: '/usr/share/backgrounds/mate/nature/*.jpg',
    licence: 'GPL-2+ (/usr/share/doc/mate-backgrounds/copyright)',
    list: () => filesUnder('mate-backgrounds', '/usr/share/backgrounds/mate/nature', /^[^/]+\.jpg$/),
    labels: none,
  },
  {
    id: 'lomiri-photos',
    package: 'lomiri-wallpapers-16.04, lomiri-wallpapers-20.04',
    kind: 'photo',
    glob: '/usr/share/backgrounds/{Bridge_by_Sander_Klootwijk,Dragonfly_by_Bolly,Picture_1A_by_freespace,Wine_by_Jakkub_Mede,sunset_by_Aitzol_Berasategi,Kleiber_by_Lukas_Baubkus}.jpg',
    licence: 'CC-BY-4.0, CC-BY-SA-4.0 or CC-BY-SA-3.0 per file (/usr/share/doc/lomiri-wallpapers-16.04/copyright)',
    list: () => [
      ...named('lomiri-wallpapers-16.04', '/usr/share/backgrounds', [
        'Bridge_by_Sander_Klootwijk.jpg',
        'Dragonfly_by_Bolly.jpg',
        'Picture_1A_by_freespace.jpg',
        'Wine_by_Jakkub_Mede.jpg',
        'sunset_by_Aitzol_Berasategi.jpg',
      ]),
      ...named('lomiri-wallpapers-20.04', '/usr/share/backgrounds', ['Kleiber_by_Lukas_Baubkus.jpg']),
    ],
    labels: none,
  },
  {
    id: 'palapeli-photos',
    package: 'palapeli-data',
    kind: 'photo',
    glob: '/usr/share/palapeli/collection/*.jpg',
    licence: 'GPL-2+ (/usr/share/doc/palapeli-data/copyright, Files: *)',
    list: () => filesUnder('palapeli-data', '/usr/share/palapeli/collection', /^[^/]+\.jpg$/),
    labels: byName({ 'citrus-fruits.jpg': { food: true } }),
  },
  {
    id: 'plasma-avatar-photos',
    package: 'plasma-workspace-data',
    kind: 'photo',
    glob: '/usr/share/plasma/avatars/photos/*.png',
    licence: 'CC0-1.0 (/usr/share/doc/plasma-workspace-data/copyright; SPDX .license file beside each image)',
    list: () => filesUnder('plasma-workspace-data', '/usr/share/plasma/avatars/photos', /^[^/]+\.png$/),
    labels: byName({
      'Astronaut.png': { face: undefined, girl: undefined, boy: undefined },
      'Cat.png': { cat: true },
      'Dog.png': { dog: true },
      'Pancakes.png': { food: true },
      'Sushi.png': { food: true },
      'Cocktail.png': { food: undefined },
    }),
  },
  {
    id: 'skimage-textures',
    package: 'python3-skimage',
    kind: 'photo',
    glob: '/usr/lib/python3/dist-packages/skimage/data/{brick,coins,grass,gravel}.png',
    licence: 'BSD-3-Clause (/usr/share/doc/python3-skimage/copyright, Files: *); CC0 or public domain per skimage.data docstrings',
    list: () =>
      named('python3-skimage', '/usr/lib/python3/dist-packages/skimage/data', ['brick.png', 'coins.png', 'grass.png', 'gravel.png']),
    labels: none,
  },
  // ---- drawings
  {
    id: 'openclipart',
    package: 'openclipart-svg',
    kind: 'drawing',
    glob: `${OPENCLIPART}/{${OPENCLIPART_FOLDERS.join(',')}}/**/*.svg`,
    licence: 'Public domain (Open Clip Art Library dedication, /usr/share/doc/openclipart-svg/copyright)',
    limit: 450,
    list: () => OPENCLIPART_FOLDERS.flatMap((f) => filesUnder('openclipart-svg', join(OPENCLIPART, f), /\.svg$/)),
    labels: (image) => openclipartLabels(image.path),
  },
  {
    id: 'art4apps',
    package: 'pysiogame',
    kind: 'drawing',
    glob: '/usr/share/games/pysiogame/res/images/art4apps/**/*.jpg',
    licence:
      "CC-BY-SA-3.0 (Art4Apps, as gcompris-qt-data's copyright file lists the same pictures; pysiogame's copyright lists images/* as public domain)",
    limit: 300,
    list: () => filesUnder('pysiogame', '/usr/share/games/pysiogame/res/images/art4apps', /\.(jpe?g|png)$/),
    labels: (image) => art4appsLabels(image.path),
  },
  {
    id: 'konqi-avatars',
    package: 'plasma-workspace-data',
    kind: 'drawing',
    glob: '/usr/share/plasma/avatars/*.png',
    licence: 'GPL-2.0-or-later (/usr/share/doc/plasma-workspace-data/copyright, Files: *)',
    list: () => filesUnder('plasma-workspace-data', '/usr/share/plasma/avatars', /^[^/]+\.png$/),
    // Konqi and Katie are cartoon dragons: no human face, and not cats or dogs.
    labels: none,
  },
  {
    id: 'gcompris-drawings',
    package: 'gcompris-qt-data',
    kind: 'drawing',
    // Teaches the content tags only (see tuxpaint-stamps).
    forPhotoIllust: false,
    glob: `${GCOMPRIS_RCC}/*.rcc!${GCOMPRIS_ACTIVITIES}{explore_farm_animals/resource/animals/*.svg,memory/resource/01_cat.svg,babyshapes/resource/dog{1,2}/dog.webp}`,
    licence: 'GPL-3+ (/usr/share/doc/gcompris-qt-data/copyright, Files: *)',
    list: () => [
      ...gcompris(['explore_farm_animals'], /^explore_farm_animals\/resource\/animals\/(?!farm-animals)[^/]+\.svg$/),
      ...gcompris(['memory'], /^memory\/resource\/01_cat\.svg$/),
      ...gcompris(['babyshapes'], /^babyshapes\/resource\/dog[12]\/dog\.webp$/),
    ],
    labels: byName({ '/cat.svg': { cat: true }, '/01_cat.svg': { cat: true }, '/dog.svg': { dog: true }, '/dog.webp': { dog: true } }),
  },
  {
    id: 'scratch-costumes',
    package: 'scratch',
    kind: 'drawing',
    // Teaches the content tags only (see tuxpaint-stamps).
    forPhotoIllust: false,
    glob: '/usr/share/scratch/Media/Costumes/{Animals,People,Things,Fantasy,Transportation}/*.{png,gif}',
    licence: 'CC-BY-SA-3.0 (/usr/share/doc/scratch/copyright, Files: Media/*; Massachusetts Institute of Technology)',
    // Scratch 1.4's sprite costumes: drawn cats and dogs (the Scratch cat among them), children and adults.
    list: () =>
      filesUnder('scratch', '/usr/share/scratch/Media/Costumes', /^(Animals|People|Things|Fantasy|Transportation)\/[^/]+\.(png|gif)$/),
    labels: (image) => scratchLabels(image.path),
  },
  {
    id: 'tuxpaint-stamps',
    package: 'tuxpaint-stamps-default',
    kind: null,
    forPhotoIllust: false,
    glob: `${TUXPAINT}/{${TUXPAINT_CATEGORIES.join(',')}}/**/*.{png,svg}`,
    licence: 'GPL-2 (/usr/share/doc/tuxpaint-stamps-default/copyright, Files: *)',
    limit: 250,
    list: () =>
      TUXPAINT_CATEGORIES.flatMap((c) => filesUnder('tuxpaint-stamps-default', join(TUXPAINT, c), /\.(png|svg)$/)).map((image) => ({
        ...image,
        // SVGs and the "cartoon" folders are drawings; the other PNGs mix cut-out photos and paintings.
        kind: /\.svg$/.test(image.path) || /\/cartoon\//.test(image.path) ? 'drawing' : null,
      })),
    labels: (image) => tuxpaintLabels(image.path),
  },
  {
    id: 'wesnoth-portraits',
    package: 'wesnoth-1.16-data',
    kind: 'drawing',
    forPhotoIllust: false,
    glob: `${WESNOTH_PORTRAITS}/*/*.png`,
    licence: 'GPL-2 (/usr/share/doc/wesnoth-1.16-data/copyright); artists per portrait in portraits/ARTISTS',
    // Painted character portraits: drawn faces of women and men, and of monsters that have none.
    list: () => filesUnder('wesnoth-1.16-data', WESNOTH_PORTRAITS, /^[^/]+\/[^/]+\.png$/),
    labels: (image) => wesnothLabels(image.path),
  },
  {
    id: 'renpy-sprites',
    package: 'renpy-thequestion',
    kind: 'drawing',
    glob: '/usr/share/games/renpy/the_question/game/images/sylvie *.png',
    licence: 'Expat (/usr/share/doc/renpy-thequestion/copyright, Files: *)',
    // Visual-novel character art: Sylvie (The Question), a drawn girl. (Eileen, the Ren'Py demo's
    // character, is a test fixture: test/fixtures/drawn.)
    list: () => filesUnder('renpy-thequestion', '/usr/share/games/renpy/the_question/game/images', /^sylvie [^/]+\.png$/),
    labels: () => ({ ...NONE, face: true, girl: true }),
  },
];

/** Debian packages the sources read from. */
export const PACKAGES: readonly string[] = [
  'gcompris-qt-data',
  'mate-backgrounds',
  'lomiri-wallpapers-16.04',
  'lomiri-wallpapers-20.04',
  'palapeli-data',
  'plasma-workspace-data',
  'python3-skimage',
  'openclipart-svg',
  'pysiogame',
  'tuxpaint-stamps-default',
  'renpy-thequestion',
  'wesnoth-1.16-data',
  'scratch',
];
