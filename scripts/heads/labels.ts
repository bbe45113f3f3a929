// What a training image shows, read from where its package put it and what it named it: Art4Apps and
// Open Clip Art sort pictures into folders (animals, food, people) and name them by subject ("cat.jpg",
// "woman_reading_gerald_g._01.svg"). A label is true (it shows that), false (it does not) or absent
// (can't tell from the name: a family, a body part, "unsorted"), and an absent label keeps the image
// out of that tag's training and figures. Pure: table-tested in labels.test.ts.

/** The content tags the heads learn besides photo/illust. */
export const CONTENT_TAGS = ['face', 'girl', 'boy', 'cat', 'dog', 'food'] as const;
export type ContentTag = (typeof CONTENT_TAGS)[number];
export type ContentLabels = Partial<Record<ContentTag, boolean>>;

/** Lower-case words of a file name: "Dog_on_leash-Gerald_G._01.svg" -> dog, on, leash, gerald, g. */
export function nameWords(path: string): string[] {
  const file = path.slice(path.lastIndexOf('/') + 1).replace(/\.[a-z0-9]+$/i, '');
  return file
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z]+/)
    .filter((w) => w.length > 0);
}

const CAT_WORDS = new Set(['cat', 'cats', 'kitten', 'kittens', 'kitty', 'gatto', 'gatti', 'gattina', 'blackcat']);
const DOG_WORDS = new Set(['dog', 'dogs', 'puppy', 'puppies', 'pug', 'bulldog', 'beagle', 'poodle', 'dachshund', 'cani']);
/** "hot dog" and "corn dog" are food, not dogs. */
const FOOD_DOGS = new Set(['hot', 'corn']);
const FEMALE_WORDS = new Set([
  'girl',
  'girls',
  'woman',
  'women',
  'lady',
  'madam',
  'mom',
  'mother',
  'grandmother',
  'wife',
  'bride',
  'female',
  'sister',
  'sisters',
  'princess',
  'queen',
  'nun',
  'girlface',
  'ballerina',
  'sylvie',
  'eileen',
]);
const MALE_WORDS = new Set([
  'boy',
  'boys',
  'man',
  'men',
  'dad',
  'father',
  'grandfather',
  'husband',
  'lad',
  'male',
  'son',
  'brother',
  'brothers',
  'king',
  'prince',
  'cowboy',
  'fireman',
  'fisherman',
  'policeman',
  'pope',
  'priest',
  'guy',
  'dude',
]);
/** Both: a couple, a family (Art4Apps draws a mother and a father). */
const MIXED_WORDS = new Set(['couple', 'family']);
/** In a food folder but not food: drinks, dishes, kitchen tools, menus. */
const NOT_FOOD_WORDS = new Set([
  'coffee',
  'tea',
  'milk',
  'juice',
  'lemonade',
  'water',
  'bottle',
  'glass',
  'wine',
  'beer',
  'cup',
  'mug',
  'plate',
  'bowl',
  'menu',
  'chef',
  'toque',
  'meatgrinder',
  'libro',
  'mix',
  'sugarbox',
  'honey',
  'ice',
  'flour',
  'sugar',
  'spice',
  'gum',
]);

const has = (words: readonly string[], set: ReadonlySet<string>) => words.some((w) => set.has(w));
const isDog = (words: readonly string[]) => words.some((w, i) => DOG_WORDS.has(w) && !(w === 'dog' && FOOD_DOGS.has(words[i - 1] ?? '')));

/** Cat and dog from the name, for a picture of some animal. */
function animalLabels(words: readonly string[]): ContentLabels {
  return { cat: has(words, CAT_WORDS), dog: isDog(words), food: false, face: false, girl: false, boy: false };
}

/** Girl, boy and face from the name, for a picture of people; absent where the name does not say. */
function peopleLabels(words: readonly string[]): ContentLabels {
  const mixed = has(words, MIXED_WORDS);
  const girl = mixed || has(words, FEMALE_WORDS);
  const boy = mixed || has(words, MALE_WORDS);
  const labels: ContentLabels = { cat: false, dog: isDog(words), food: false };
  if (girl || boy) Object.assign(labels, { face: true, girl, boy });
  return labels;
}

/** Food, for a picture in a food folder; drinks and kitchen things are left unlabelled. */
function foodLabels(words: readonly string[]): ContentLabels {
  const base: ContentLabels = { cat: false, dog: false, face: false, girl: false, boy: false };
  return has(words, NOT_FOOD_WORDS) ? base : { ...base, food: true };
}

/** Shows none of the six (a building, a tool, a landscape, a wild animal that is not a cat or dog). */
export const NONE: Readonly<ContentLabels> = { face: false, girl: false, boy: false, cat: false, dog: false, food: false };
/** Shows no animal or food; people unknown (a street, a sport, a job may show people). */
const NO_ANIMAL_OR_FOOD: Readonly<ContentLabels> = { cat: false, dog: false, food: false };

/**
 * Who Art4Apps's people and jobs pictures show, read off a contact sheet of them (many words are drawn
 * as a pair with an arrow: "man" is a girl and a boy): f a woman or girl, m a man or boy, fm both, ? a
 * face but no telling (a baby, a helmet), and a name not listed shows no one clearly.
 */
const ART4APPS_PEOPLE: Record<string, 'f' | 'm' | 'fm' | '?'> = {
  baby: '?',
  boy: 'm',
  bride: 'f',
  brothers: 'm',
  child: 'm',
  couple: 'fm',
  dad: 'm',
  family: 'fm',
  female: 'fm',
  friends: 'fm',
  girl: 'f',
  grandmother: 'fm',
  husband: 'fm',
  lad: 'fm',
  lady: 'f',
  madam: 'f',
  male: 'fm',
  man: 'fm',
  mates: 'fm',
  mom: 'f',
  mother: 'f',
  sisters: 'f',
  son: 'm',
  twin_boys: 'm',
  twin_girls: 'f',
  wife: 'fm',
  woman: 'fm',
  grandfather: '?',
  tribe: '?',
  accountant: 'm',
  actor: 'm',
  anaesthesiologist: 'm',
  athlete: 'm',
  badge: 'm',
  ballet: 'f',
  boxer: 'm',
  bricklayer: 'm',
  butcher: 'm',
  carpenter: 'm',
  chef: '?',
  cleaner: 'f',
  clown: '?',
  coach: '?',
  cook: 'm',
  cowboy: 'm',
  doctor: 'm',
  electrician: 'm',
  engineer: 'm',
  farmer: 'm',
  fireman: 'm',
  fisherman: 'm',
  hunter: 'm',
  jockey: 'm',
  judge: 'm',
  juggler: 'f',
  king: 'm',
  knight: 'm',
  lawyer: 'm',
  librarian: 'f',
  magic: 'm',
  mechanic: 'm',
  musician: 'm',
  nun: 'f',
  nurse: 'f',
  office: 'm',
  painter: 'm',
  pirate: 'm',
  plumber: '?',
  police: 'm',
  pope: 'm',
  president: 'm',
  priest: 'm',
  prince: 'm',
  princess: 'f',
  queen: 'f',
  sailor: 'm',
  scientist: 'm',
  soldier: 'm',
  student: 'm',
  teacher: 'f',
  vet: 'm',
  worker: '?',
};

function art4appsPeople(path: string): ContentLabels {
  const name = path.slice(path.lastIndexOf('/') + 1).replace(/\.[a-z]+$/, '');
  const who = ART4APPS_PEOPLE[name];
  const base: ContentLabels = { cat: false, dog: false, food: false };
  if (who === undefined) return base;
  if (who === '?') return { ...base, face: true };
  return { ...base, face: true, girl: who.includes('f'), boy: who.includes('m') };
}

/** Art4Apps (pysiogame): `<folder>/<word>.jpg`. */
export function art4appsLabels(path: string): ContentLabels {
  const folder = /art4apps\/([^/]+)\//.exec(path)?.[1] ?? '';
  const words = nameWords(path);
  switch (folder) {
    case 'animals':
      return animalLabels(words);
    case 'food':
    case 'fruit_n_veg':
      return foodLabels(words);
    case 'people':
    case 'jobs':
      return art4appsPeople(path);
    case 'construction':
    case 'nature':
    case 'transport':
      return { ...NONE };
    case 'clothes_n_accessories':
    case 'sport':
      return { ...NO_ANIMAL_OR_FOOD };
    default:
      return {}; // actions and body parts: people, animals and food in any mix
  }
}

/** Folders of Open Clip Art pictures of things (no people, animals or food). */
const OPENCLIPART_THINGS = new Set(['buildings', 'containers', 'electronics', 'plants', 'tools', 'science', 'office']);

/** Open Clip Art: `svg/<folder>/[<subfolder>/]<name>.svg`. */
export function openclipartLabels(path: string): ContentLabels {
  const [folder = '', sub = ''] = /openclipart\/svg\/(.+)$/.exec(path)?.[1]?.split('/') ?? [];
  const words = nameWords(path);
  if (folder === 'animals') {
    // Open Clip Art files housecats and dogs in their own folders, not always with the word in the name.
    const kinds = /\/housecats\//.test(path) ? ['cat'] : /\/dogs\//.test(path) ? ['dog'] : [];
    return animalLabels([...words, ...kinds]);
  }
  if (folder === 'food') return sub === 'beverages' ? { ...NONE, food: undefined } : foodLabels(words);
  if (folder === 'people') return peopleLabels(words);
  if (OPENCLIPART_THINGS.has(folder)) return { ...NONE };
  return has(words, CAT_WORDS) || isDog(words) ? {} : { ...NO_ANIMAL_OR_FOOD };
}

/** Scratch 1.4's "Things" that are food. */
const SCRATCH_FOOD = new Set(['bananas', 'cheesy', 'fortune', 'fruit']);

/** Scratch 1.4's costume library: `Media/Costumes/<folder>/<name>.(png|gif)`. */
export function scratchLabels(path: string): ContentLabels {
  const folder = /Costumes\/([^/]+)\//.exec(path)?.[1] ?? '';
  const words = nameWords(path);
  if (folder === 'Animals') return animalLabels(words);
  if (folder === 'People') return peopleLabels(words);
  if (folder === 'Things') return { ...NONE, food: has(words, SCRATCH_FOOD) };
  if (folder === 'Transportation') return { ...NONE };
  return { ...NO_ANIMAL_OR_FOOD }; // Fantasy: fairies and wizards beside dragons and robots
}

/** Wesnoth's female unit types that have no "+female" variant (elvish and merfolk ladies, mages, healers). */
const WESNOTH_FEMALE = new Set(['lady', 'sorceress', 'shyde', 'sylph', 'shaman', 'druid', 'priestess', 'enchantress', 'initiate']);

/**
 * Battle for Wesnoth's painted portraits (`portraits/<race>/<unit>[+female].png`): humans, elves,
 * dwarves, merfolk and the dunefolk herbalist have human faces; "+female" and the female-only units are
 * women, the rest men. Monsters, drakes, goblins, nagas and others are not human: no face, no gender.
 */
export function wesnothLabels(path: string): ContentLabels {
  const [race = '', file = ''] = /portraits\/([^/]+)\/([^/]+)$/.exec(path)?.slice(1) ?? [];
  const unit = file.replace(/\.[a-z]+$/, '').replace(/-\d+$/, '');
  const base: ContentLabels = { cat: false, dog: false, food: false };
  if (!['humans', 'elves', 'dwarves', 'merfolk', 'dunefolk'].includes(race)) return { ...base, face: false, girl: false, boy: false };
  if (race === 'dunefolk') return { ...base, face: true };
  const female = unit.endsWith('+female') || WESNOTH_FEMALE.has(unit);
  return { ...base, face: true, girl: female, boy: !female };
}

/** Tux Paint stamps: `stamps/<category>/.../<name>.(png|svg)`. */
export function tuxpaintLabels(path: string): ContentLabels {
  const category = /stamps\/([^/]+)\//.exec(path)?.[1] ?? '';
  const words = nameWords(path);
  if (category === 'animals' || (category === 'seasonal' && has(words, CAT_WORDS))) return animalLabels(words);
  if (category === 'food') return foodLabels(words);
  if (category === 'people') return /body_parts\//.test(path) && !has(words, FEMALE_WORDS) ? {} : peopleLabels(words);
  if (['vehicles', 'space', 'plants', 'naturalforces', 'household', 'symbols', 'town'].includes(category)) return { ...NONE };
  return {};
}
