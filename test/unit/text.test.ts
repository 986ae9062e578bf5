import { describe, expect, it } from 'vitest';
import { fold } from '../../shared/text.ts';

describe('fold (the key form of names for prefix search)', () => {
  it.each([
    ['Élodie', 'elodie'],
    ['LEFÈVRE', 'lefevre'],
    ["D'Alembert", 'd alembert'],
    ['Pointe-à-Pitre', 'pointe a pitre'],
    ['  Anne   Çağlar ', 'anne caglar'],
    ['Zoë', 'zoe'],
  ])('folds %s to %s', (input, expected) => {
    expect(fold(input)).toBe(expected);
  });
});
