/**
 * The behaviour of `components/EventFields.astro`: reads the form into the API's body, checks
 * what can be checked before asking, and shows the API's refusals next to their field (or in the
 * form's alert).
 */
import { ApiError, type Profile } from './api.ts';
import { type AudienceChoice, choiceOf } from './composer.ts';
import { type EventInput, type EventView, sectionLabel } from './events.ts';
import { fieldValue, focusField, hasField, showFieldError } from './forms.ts';
import type { MyPlaces } from './my-places.ts';
import { inAdherentsCircle, inSectionCircle } from './posts.ts';

const LOCAL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;

/** The form's values as the API expects them, and the problems found on the way. */
export function readEventForm(form: HTMLFormElement): { input: EventInput; errors: Array<[string, string]> } {
  const errors: Array<[string, string]> = [];
  const title = fieldValue(form, 'title');
  const description = fieldValue(form, 'description');
  const start = fieldValue(form, 'start');
  const end = fieldValue(form, 'end');
  const location = fieldValue(form, 'location');
  const onlineUrl = fieldValue(form, 'onlineUrl');
  const capacityText = fieldValue(form, 'capacity');
  if (!title) errors.push(['title', 'Donnez un titre à l’évènement.']);
  if (!LOCAL_TIME.test(start)) errors.push(['start', 'Indiquez la date et l’heure du début.']);
  if (!LOCAL_TIME.test(end)) errors.push(['end', 'Indiquez la date et l’heure de la fin.']);
  else if (LOCAL_TIME.test(start) && end <= start) errors.push(['end', 'La fin doit venir après le début.']);
  if (!location && !onlineUrl)
    errors.push(['location', 'Indiquez un lieu ou un lien pour participer en ligne.']);
  if (onlineUrl && !/^https?:\/\/\S+$/i.test(onlineUrl))
    errors.push(['onlineUrl', 'Lien invalide : une adresse commençant par https:// est attendue.']);
  let capacity: number | null = null;
  if (capacityText) {
    capacity = Number(capacityText);
    if (!Number.isInteger(capacity) || capacity < 1 || capacity > 10_000)
      errors.push(['capacity', 'Indiquez un nombre de places entre 1 et 10 000, ou laissez vide.']);
  }
  return {
    input: {
      title,
      ...(description ? { description } : {}),
      start,
      end,
      location: location || null,
      onlineUrl: onlineUrl || null,
      capacity,
    },
    errors,
  };
}

/** Puts an event's values in the form (to edit it). */
export function fillEventForm(form: HTMLFormElement, event: EventView): void {
  const set = (name: string, value: string) => {
    const control = form.elements.namedItem(name);
    if (control instanceof HTMLInputElement || control instanceof HTMLTextAreaElement) control.value = value;
  };
  set('title', event.title);
  set('description', event.description);
  set('start', event.startLocal);
  set('end', event.endLocal);
  set('location', event.location ?? '');
  set('onlineUrl', event.onlineUrl ?? '');
  set('capacity', event.capacity === null ? '' : String(event.capacity));
}

/** The field a refusal is about, in this form (`audience.sectionId` → `audience`). */
function fieldOf(form: HTMLFormElement, error: ApiError): string | null {
  const field = error.field?.split('.')[0];
  return field && hasField(form, field) ? field : null;
}

/**
 * Shows an API refusal: under its field when the form has it (and in the alert as well, so that
 * it is heard), otherwise in the alert.
 */
export function showEventApiError(form: HTMLFormElement, alert: HTMLElement, error: unknown): void {
  const message =
    error instanceof ApiError
      ? error.message
      : 'Une erreur inattendue est survenue. Réessayez dans un instant.';
  const field = error instanceof ApiError ? fieldOf(form, error) : null;
  say(alert, message, 'error');
  if (field) {
    showFieldError(form, field, message);
    focusField(form, field);
  }
}

/** Writes a message in a live region (emptied first, so that the same message is heard again). */
export function say(region: HTMLElement, message: string, kind: 'success' | 'error' | 'info' = 'info'): void {
  region.dataset.kind = kind;
  region.textContent = '';
  window.setTimeout(() => {
    region.textContent = message;
  }, 50);
}

/**
 * The audiences a member may organise an event for (as publishing a post, the organiser as the
 * author — the API has the last word): every member, the adherents, their coopains, their
 * section's agenda (public or private) and the sections they run, their groups.
 */
export function eventChoices(me: Profile, places: MyPlaces): AudienceChoice[] {
  const choices: AudienceChoice[] = [];
  if (me.visibility === 'all') choices.push(choiceOf({ kind: 'all' }, 'Tous les membres de la coopol'));
  if (inAdherentsCircle(me)) choices.push(choiceOf({ kind: 'adherents' }, 'Les adhérent·es (PS et MJS)'));
  choices.push(choiceOf({ kind: 'coopains' }, 'Mes coopains'));
  const sections = [...(places.section ? [places.section] : []), ...places.secretaryOf].filter(
    (s, i, all) => all.findIndex((o) => o.id === s.id) === i,
  );
  for (const section of sections) {
    if (!inSectionCircle(me, section.id)) continue;
    if (me.visibility === 'all')
      choices.push(
        choiceOf(
          { kind: 'section-public', sectionId: section.id },
          `${sectionLabel(section.name)} — agenda public (tous les membres)`,
        ),
      );
    choices.push(
      choiceOf(
        { kind: 'section-private', sectionId: section.id },
        `${sectionLabel(section.name)} — agenda privé (les adhérent·es de la section)`,
      ),
    );
  }
  for (const group of places.groups)
    if (group.me?.status === 'active')
      choices.push(choiceOf({ kind: 'group', groupId: group.id }, `Groupe ${group.name}`));
  return choices;
}
