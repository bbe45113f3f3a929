// The training labels read from file names (scripts/heads/labels.ts): a table of real paths from the
// Debian packages the heads are trained on, and what each must say.
import { describe, expect, it } from 'vitest';
import {
  art4appsLabels,
  nameWords,
  openclipartLabels,
  scratchLabels,
  tuxpaintLabels,
  wesnothLabels,
  type ContentLabels,
} from '../../scripts/heads/labels';

const A4A = '/usr/share/games/pysiogame/res/images/art4apps';
const OCA = '/usr/share/openclipart/svg';
const TUX = '/usr/share/tuxpaint/stamps';

describe('nameWords', () => {
  it.each([
    ['/x/Dog_on_leash-Gerald_G._01.svg', ['dog', 'on', 'leash', 'gerald', 'g']],
    ['/x/screwDriver2.webp', ['screw', 'driver']],
    ['/x/sylvie blue giggle.png', ['sylvie', 'blue', 'giggle']],
  ])('%s', (path, words) => expect(nameWords(path)).toEqual(words));
});

describe('labels from names', () => {
  it.each<[string, ContentLabels, ContentLabels]>([
    [
      `${A4A}/animals/cat.jpg`,
      art4appsLabels(`${A4A}/animals/cat.jpg`),
      { cat: true, dog: false, food: false, face: false, girl: false, boy: false },
    ],
    [
      `${A4A}/animals/puppy.jpg`,
      art4appsLabels(`${A4A}/animals/puppy.jpg`),
      { cat: false, dog: true, food: false, face: false, girl: false, boy: false },
    ],
    [
      `${A4A}/animals/caterpillar.jpg`,
      art4appsLabels(`${A4A}/animals/caterpillar.jpg`),
      { cat: false, dog: false, food: false, face: false, girl: false, boy: false },
    ],
    [
      `${A4A}/animals/leopard.jpg (a big cat is not a cat)`,
      art4appsLabels(`${A4A}/animals/leopard.jpg`),
      { cat: false, dog: false, food: false, face: false, girl: false, boy: false },
    ],
    [
      `${A4A}/food/hot_dog.jpg`,
      art4appsLabels(`${A4A}/food/hot_dog.jpg`),
      { cat: false, dog: false, food: true, face: false, girl: false, boy: false },
    ],
    [
      `${A4A}/food/coffee.jpg (a drink: unlabelled food)`,
      art4appsLabels(`${A4A}/food/coffee.jpg`),
      { cat: false, dog: false, face: false, girl: false, boy: false },
    ],
    [
      `${A4A}/people/girl.jpg`,
      art4appsLabels(`${A4A}/people/girl.jpg`),
      { cat: false, dog: false, food: false, face: true, girl: true, boy: false },
    ],
    [
      `${A4A}/people/couple.jpg`,
      art4appsLabels(`${A4A}/people/couple.jpg`),
      { cat: false, dog: false, food: false, face: true, girl: true, boy: true },
    ],
    [
      `${A4A}/people/man.jpg (drawn as a girl and a boy)`,
      art4appsLabels(`${A4A}/people/man.jpg`),
      { cat: false, dog: false, food: false, face: true, girl: true, boy: true },
    ],
    [
      `${A4A}/jobs/astronaut.jpg (a helmet: no one clearly)`,
      art4appsLabels(`${A4A}/jobs/astronaut.jpg`),
      { cat: false, dog: false, food: false },
    ],
    [
      `${A4A}/people/baby.jpg (a face, gender unknown)`,
      art4appsLabels(`${A4A}/people/baby.jpg`),
      { cat: false, dog: false, food: false, face: true },
    ],
    [
      `${A4A}/jobs/king.jpg`,
      art4appsLabels(`${A4A}/jobs/king.jpg`),
      { cat: false, dog: false, food: false, face: true, girl: false, boy: true },
    ],
    [`${A4A}/actions/bark.jpg (anything)`, art4appsLabels(`${A4A}/actions/bark.jpg`), {}],
    [
      `${A4A}/transport/bus.jpg`,
      art4appsLabels(`${A4A}/transport/bus.jpg`),
      { cat: false, dog: false, food: false, face: false, girl: false, boy: false },
    ],
    [
      `${OCA}/animals/gattina_cat_architetto_f_01.svg`,
      openclipartLabels(`${OCA}/animals/gattina_cat_architetto_f_01.svg`),
      { cat: true, dog: false, food: false, face: false, girl: false, boy: false },
    ],
    [
      `${OCA}/animals/cani_e_gatti_cat_and_do_01.svg`,
      openclipartLabels(`${OCA}/animals/cani_e_gatti_cat_and_do_01.svg`),
      { cat: true, dog: true, food: false, face: false, girl: false, boy: false },
    ],
    [
      `${OCA}/animals/mammals/housecats/gatto_nero_architetto_fr_01.svg`,
      openclipartLabels(`${OCA}/animals/mammals/housecats/gatto_nero_architetto_fr_01.svg`),
      { cat: true, dog: false, food: false, face: false, girl: false, boy: false },
    ],
    [
      `${OCA}/animals/mammals/dogs/black_lab_ganson.svg`,
      openclipartLabels(`${OCA}/animals/mammals/dogs/black_lab_ganson.svg`),
      { cat: false, dog: true, food: false, face: false, girl: false, boy: false },
    ],
    [
      `${OCA}/animals/mammals/big_cats/lion.svg`,
      openclipartLabels(`${OCA}/animals/mammals/big_cats/lion.svg`),
      { cat: false, dog: false, food: false, face: false, girl: false, boy: false },
    ],
    [
      `${OCA}/food/hot_dog_bw.svg`,
      openclipartLabels(`${OCA}/food/hot_dog_bw.svg`),
      { cat: false, dog: false, food: true, face: false, girl: false, boy: false },
    ],
    [
      `${OCA}/food/beverages/x.svg`,
      openclipartLabels(`${OCA}/food/beverages/x.svg`),
      { cat: false, dog: false, food: undefined, face: false, girl: false, boy: false },
    ],
    [
      `${OCA}/food/large_plate.svg`,
      openclipartLabels(`${OCA}/food/large_plate.svg`),
      { cat: false, dog: false, face: false, girl: false, boy: false },
    ],
    [
      `${OCA}/people/woman_reading_gerald_g._01.svg`,
      openclipartLabels(`${OCA}/people/woman_reading_gerald_g._01.svg`),
      { cat: false, dog: false, food: false, face: true, girl: true, boy: false },
    ],
    [
      `${OCA}/people/blueman_201_01.svg (a stick figure: unknown)`,
      openclipartLabels(`${OCA}/people/blueman_201_01.svg`),
      { cat: false, dog: false, food: false },
    ],
    [
      `${OCA}/buildings/house.svg`,
      openclipartLabels(`${OCA}/buildings/house.svg`),
      { cat: false, dog: false, food: false, face: false, girl: false, boy: false },
    ],
    [`${OCA}/unsorted/cat_x.svg (a cat outside animals: unknown)`, openclipartLabels(`${OCA}/unsorted/cat_x.svg`), {}],
    [`${OCA}/recreation/kite.svg`, openclipartLabels(`${OCA}/recreation/kite.svg`), { cat: false, dog: false, food: false }],
    [
      `${TUX}/seasonal/halloween/blackcat.png`,
      tuxpaintLabels(`${TUX}/seasonal/halloween/blackcat.png`),
      { cat: true, dog: false, food: false, face: false, girl: false, boy: false },
    ],
    [
      `${TUX}/people/cartoon/woman_doctor.svg`,
      tuxpaintLabels(`${TUX}/people/cartoon/woman_doctor.svg`),
      { cat: false, dog: false, food: false, face: true, girl: true, boy: false },
    ],
    [`${TUX}/people/body_parts/manga_eye_left.svg`, tuxpaintLabels(`${TUX}/people/body_parts/manga_eye_left.svg`), {}],
    [
      'wesnoth humans/mage-red+female.png',
      wesnothLabels('/p/portraits/humans/mage-red+female.png'),
      { cat: false, dog: false, food: false, face: true, girl: true, boy: false },
    ],
    [
      'wesnoth elves/sorceress.png',
      wesnothLabels('/p/portraits/elves/sorceress.png'),
      { cat: false, dog: false, food: false, face: true, girl: true, boy: false },
    ],
    [
      'wesnoth humans/swordsman-2.png',
      wesnothLabels('/p/portraits/humans/swordsman-2.png'),
      { cat: false, dog: false, food: false, face: true, girl: false, boy: true },
    ],
    [
      'wesnoth drakes/burner.png (not human)',
      wesnothLabels('/p/portraits/drakes/burner.png'),
      { cat: false, dog: false, food: false, face: false, girl: false, boy: false },
    ],
    [
      'scratch Animals/cat1-a.gif',
      scratchLabels('/usr/share/scratch/Media/Costumes/Animals/cat1-a.gif'),
      { cat: true, dog: false, food: false, face: false, girl: false, boy: false },
    ],
    [
      'scratch People/girl3-running.gif',
      scratchLabels('/usr/share/scratch/Media/Costumes/People/girl3-running.gif'),
      { cat: false, dog: false, food: false, face: true, girl: true, boy: false },
    ],
    [
      'scratch People/anna-1.gif (a name: gender unknown)',
      scratchLabels('/usr/share/scratch/Media/Costumes/People/anna-1.gif'),
      { cat: false, dog: false, food: false },
    ],
    [
      'scratch Things/fruit_platter.gif',
      scratchLabels('/usr/share/scratch/Media/Costumes/Things/fruit_platter.gif'),
      { cat: false, dog: false, food: true, face: false, girl: false, boy: false },
    ],
    [
      'scratch Fantasy/wizard1.png',
      scratchLabels('/usr/share/scratch/Media/Costumes/Fantasy/wizard1.png'),
      { cat: false, dog: false, food: false },
    ],
    [
      `${TUX}/vehicles/car.png`,
      tuxpaintLabels(`${TUX}/vehicles/car.png`),
      { cat: false, dog: false, food: false, face: false, girl: false, boy: false },
    ],
  ])('%s', (_path, labels, expected) => {
    expect(labels).toEqual(expected);
  });
});
