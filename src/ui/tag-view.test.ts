import { describe, expect, it } from 'vitest';
import type { PersonalTagSummary } from '../messaging/background-offscreen';
import { customTagSpec, tagSpec } from '../tags/vocabulary';
import { tagScorer } from './tag-view';

const learned: PersonalTagSummary = { positives: 8, negatives: 20, heldOutAccuracy: 0.9, trusted: true, trained: true };
const notLearned: PersonalTagSummary = { positives: 2, negatives: 3, heldOutAccuracy: null, trusted: false, trained: false };
const spiders = customTagSpec({ id: 'user:spiders', label: 'Spiders' });

describe('tagScorer', () => {
  it.each([
    ['a tag Megane scores', tagSpec('photo'), undefined, [], {}, 'builtin'],
    ['a tag both score, Megane chosen (the default)', tagSpec('photo'), undefined, ['photo'], {}, 'builtin'],
    ['a tag both score, the trained model chosen', tagSpec('photo'), undefined, ['photo'], { photo: 'trained' }, 'trained'],
    ['a feedback tag nothing learned yet', tagSpec('megane'), notLearned, [], {}, 'none'],
    ['a feedback tag only the trained model scores', tagSpec('megane'), notLearned, ['megane'], {}, 'trained'],
    ['a feedback tag the personal model learned', tagSpec('megane'), learned, [], {}, 'builtin'],
    ['a feedback tag both score, personal by default', tagSpec('megane'), learned, ['megane'], {}, 'builtin'],
    ['a feedback tag both score, the trained model chosen', tagSpec('megane'), learned, ['megane'], { megane: 'trained' }, 'trained'],
    ['"trained" chosen for a tag the trained model does not score', tagSpec('photo'), undefined, ['nsfw'], { photo: 'trained' }, 'builtin'],
    ["the user's own tag, not learned", spiders, undefined, [], {}, 'none'],
    ["the user's own tag, learned", spiders, learned, [], {}, 'builtin'],
  ] as const)('%s', (_name, spec, personal, trainedTags, sources, expected) => {
    expect(tagScorer(spec, personal, trainedTags, sources)).toBe(expected);
  });
});
