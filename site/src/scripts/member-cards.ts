/**
 * A member's card on the coopains and blocked members pages (the directory's cards, plus a date
 * and buttons): initials, name (a link to the profile unless it cannot be opened), membership and
 * section. Built without innerHTML: names are the members' own words.
 */
import type { MemberCard } from './api.ts';
import { element, formatDateTime, fullName, membershipLabel } from './labels.ts';

export interface CardOptions {
  /** Link the name to `/membre/?id=` (not for a blocked member: the profile is hidden both ways). */
  link?: boolean;
  /** A dated line under the facts, e.g. « Reçue le » + the instant. */
  dated?: { label: string; at: string };
  /** Buttons shown under the card's text. */
  actions?: HTMLElement[];
}

export function initials(person: { firstName: string; lastName: string }): string {
  return `${person.firstName.charAt(0)}${person.lastName.charAt(0)}`.toUpperCase();
}

export function memberCardOf(card: MemberCard, options: CardOptions = {}): HTMLLIElement {
  const item = element('li', undefined, 'member-card');
  item.dataset.memberId = card.id;
  const avatar = element('span', initials(card), 'avatar');
  avatar.setAttribute('aria-hidden', 'true');
  const body = element('div', undefined, 'member-card-body');
  const title = element('h3');
  if (options.link === false) {
    title.textContent = fullName(card);
  } else {
    const link = element('a', fullName(card));
    link.href = `/membre/?id=${encodeURIComponent(card.id)}`;
    title.append(link);
  }
  const facts = element('p', membershipLabel(card.membership), 'meta');
  if (card.section) facts.append(element('br'), `Section ${card.section.name}`);
  body.append(title, facts);
  if (options.dated) {
    const line = element('p', `${options.dated.label} `, 'meta');
    const time = element('time', formatDateTime(options.dated.at));
    time.dateTime = options.dated.at;
    line.append(time);
    body.append(line);
  }
  if (options.actions && options.actions.length > 0) {
    const actions = element('div', undefined, 'row-actions card-actions');
    actions.append(...options.actions);
    body.append(actions);
  }
  item.append(avatar, body);
  return item;
}

/** A small button of a card, named for screen readers with the member it acts on. */
export function cardButton(text: string, label: string, secondary = true): HTMLButtonElement {
  const button = element('button', text, secondary ? 'button small secondary' : 'button small');
  button.type = 'button';
  button.setAttribute('aria-label', label);
  return button;
}
