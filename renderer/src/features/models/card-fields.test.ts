import { describe, expect, it } from 'vitest';
import { cardChanges } from './card-fields.ts';

const card = { intendedUse: 'Sorting penguins', limitations: '', ethicalConsiderations: '', caveats: 'Small sample' };

describe("a model card's edit", () => {
  it('sends only the fields that changed, an emptied one included', () => {
    expect(cardChanges(card, { ...card, limitations: 'Only three islands', caveats: '' })).toEqual({ limitations: 'Only three islands', caveats: '' });
  });

  it('sends nothing when nothing changed', () => {
    expect(cardChanges(card, { ...card })).toEqual({});
  });
});
