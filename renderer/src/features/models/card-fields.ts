import { cardFields, type CardEdit, type CardField, type CardText } from '../../../../shared/contract/registry.ts';

/** The card's sections only a person can write, in the order a reader needs them. */
export const cardFieldWords: Record<CardField, { title: string; prompt: string }> = {
  intendedUse: { title: 'Intended use', prompt: 'Who should use this model, for what decisions, and on what data.' },
  limitations: { title: 'Limitations', prompt: 'Where it is known to do badly, and what it was not tested on.' },
  ethicalConsiderations: { title: 'Ethical considerations', prompt: 'Who could be harmed by a wrong answer, and how.' },
  caveats: { title: 'Caveats', prompt: 'Anything else a person relying on it should know.' },
};

/** Only the fields the person changed, so an edit never rewrites what someone else wrote meanwhile. */
export function cardChanges(before: CardText, after: CardText): CardEdit {
  const changes: CardEdit = {};
  for (const field of cardFields) if (after[field] !== before[field]) changes[field] = after[field];
  return changes;
}
