/**
 * The form that creates a mission (on /missions/, for a section's secretaries and a group's
 * admins): the places the member runs, the kind, and one row per timeslot — added and removed
 * with buttons, each row a fieldset « Créneau 2 » whose fields are named as the API names their
 * errors (`slots.1.start`), so that a refusal lands under the right field.
 */

import type { Profile } from './api.ts';
import { ApiError, apiFetch } from './api.ts';
import { say } from './event-form.ts';
import { sectionLabel } from './events.ts';
import {
  byId,
  clearErrors,
  clearErrorsOnEdit,
  fieldValue,
  focusField,
  hasField,
  reportFieldErrors,
  showFieldError,
  whileBusy,
} from './forms.ts';
import { element } from './labels.ts';
import { isSessionLost, toSignIn } from './me.ts';
import {
  KIND_LABELS,
  MISSION_KINDS,
  type MissionAudience,
  type MissionDetail,
  missionHref,
} from './missions.ts';
import type { MyPlaces } from './my-places.ts';

const MAX_SLOTS = 12;
const LOCAL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;

export interface MissionPlace {
  value: string;
  label: string;
  audience: MissionAudience;
}

/** Where the member may organise a mission: the sections they are secretary of, the groups they run. */
export function missionPlaces(me: Profile, places: MyPlaces): MissionPlace[] {
  const choices: MissionPlace[] = [];
  for (const section of places.secretaryOf) {
    choices.push({
      value: `section-private:${section.id}`,
      label: `${sectionLabel(section.name)} — ses adhérent·es`,
      audience: { kind: 'section-private', sectionId: section.id },
    });
    if (me.visibility === 'all')
      choices.push({
        value: `section-public:${section.id}`,
        label: `${sectionLabel(section.name)} — ouverte à tous les membres (« près de chez moi »)`,
        audience: { kind: 'section-public', sectionId: section.id },
      });
  }
  for (const group of places.groups)
    if (group.me?.status === 'active' && group.me.role === 'admin')
      choices.push({
        value: `group:${group.id}`,
        label: `Groupe ${group.name}`,
        audience: { kind: 'group', groupId: group.id },
      });
  return choices;
}

function slotField(
  index: number,
  name: 'start' | 'end' | 'needed',
  label: string,
  type: string,
): HTMLElement {
  const field = element('div', undefined, 'field');
  const id = `slot-${index}-${name}`;
  const labelElement = element('label', label);
  labelElement.htmlFor = id;
  const input = element('input');
  input.id = id;
  input.name = `slots.${index}.${name}`;
  input.type = type;
  input.required = true;
  if (type === 'number') {
    input.min = '1';
    input.max = '50';
    input.inputMode = 'numeric';
    input.value = '2';
  }
  const error = element('p', undefined, 'field-error');
  error.id = `${id}-error`;
  error.dataset.errorFor = input.name;
  error.hidden = true;
  field.append(labelElement, input, error);
  return field;
}

/** Wires the form: its places, kinds, slot rows; on success, opens the new mission. */
export function wireMissionForm(choices: readonly MissionPlace[]): void {
  const form = byId<HTMLFormElement>('mission-form');
  const rows = byId('slot-rows');
  const add = byId<HTMLButtonElement>('slot-add');
  const alert = form.querySelector<HTMLElement>('[data-alert]') as HTMLElement;
  const rowStatus = byId('slot-status');
  const audience = byId<HTMLSelectElement>('mission-audience');
  const kind = byId<HTMLSelectElement>('mission-kind');
  audience.replaceChildren(
    ...(choices.length > 1 ? [new Option('— Choisissez —', '')] : []),
    ...choices.map((c) => new Option(c.label, c.value)),
  );
  kind.replaceChildren(
    new Option('— Choisissez —', ''),
    ...MISSION_KINDS.map((k) => new Option(KIND_LABELS[k], k)),
  );

  /** Numbers the rows again (names, ids, legends) after a removal. */
  function renumber(): void {
    const all = Array.from(rows.querySelectorAll<HTMLFieldSetElement>('fieldset.slot-row'));
    all.forEach((row, i) => {
      const legend = row.querySelector('legend');
      if (legend) legend.textContent = `Créneau ${i + 1}`;
      for (const input of row.querySelectorAll('input')) {
        const part = input.name.split('.')[2] ?? '';
        input.name = `slots.${i}.${part}`;
        input.id = `slot-${i}-${part}`;
        input.closest('.field')?.querySelector('label')?.setAttribute('for', input.id);
        const error = input.closest('.field')?.querySelector<HTMLElement>('.field-error');
        if (error) {
          error.id = `${input.id}-error`;
          error.dataset.errorFor = input.name;
        }
      }
      const remove = row.querySelector<HTMLButtonElement>('[data-remove]');
      if (remove) {
        remove.textContent = `Retirer le créneau ${i + 1}`;
        remove.hidden = all.length === 1;
      }
    });
    add.hidden = all.length >= MAX_SLOTS;
  }

  function addRow(): HTMLFieldSetElement {
    const index = rows.querySelectorAll('fieldset.slot-row').length;
    const row = element('fieldset', undefined, 'field slot-row');
    row.append(element('legend', `Créneau ${index + 1}`));
    const line = element('div', undefined, 'slot-fields');
    line.append(
      slotField(index, 'start', 'Début', 'datetime-local'),
      slotField(index, 'end', 'Fin', 'datetime-local'),
      slotField(index, 'needed', 'Volontaires', 'number'),
    );
    const remove = element('button', `Retirer le créneau ${index + 1}`, 'button secondary small');
    remove.type = 'button';
    remove.dataset.remove = '';
    remove.addEventListener('click', () => {
      const number = Array.from(rows.children).indexOf(row) + 1;
      row.remove();
      renumber();
      say(rowStatus, `Créneau ${number} retiré.`);
      add.focus();
    });
    row.append(line, remove);
    rows.append(row);
    renumber();
    return row;
  }

  add.addEventListener('click', () => {
    const row = addRow();
    say(rowStatus, `Créneau ${rows.children.length} ajouté.`);
    row.querySelector('input')?.focus();
  });
  addRow();
  clearErrorsOnEdit(form);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    alert.textContent = '';
    const errors: Array<[string, string]> = [];
    const title = fieldValue(form, 'title');
    const place = fieldValue(form, 'place');
    const description = fieldValue(form, 'description');
    const choice = choices.find((c) => c.value === audience.value);
    if (!choice) errors.push(['audience', 'Choisissez la section ou le groupe de la mission.']);
    if (!title) errors.push(['title', 'Donnez un titre à la mission.']);
    if (!kind.value) errors.push(['kind', 'Choisissez le type de mission.']);
    if (!place) errors.push(['place', 'Indiquez le lieu de la mission.']);
    const slots = Array.from(rows.querySelectorAll('fieldset.slot-row')).map((_, i) => {
      const start = fieldValue(form, `slots.${i}.start`);
      const end = fieldValue(form, `slots.${i}.end`);
      const needed = Number(fieldValue(form, `slots.${i}.needed`));
      if (!LOCAL_TIME.test(start)) errors.push([`slots.${i}.start`, 'Indiquez la date et l’heure du début.']);
      if (!LOCAL_TIME.test(end)) errors.push([`slots.${i}.end`, 'Indiquez la date et l’heure de la fin.']);
      else if (LOCAL_TIME.test(start) && end <= start)
        errors.push([`slots.${i}.end`, 'La fin du créneau doit venir après son début.']);
      if (!Number.isInteger(needed) || needed < 1 || needed > 50)
        errors.push([`slots.${i}.needed`, 'Entre 1 et 50 volontaires par créneau.']);
      return { start, end, needed };
    });
    if (errors.length > 0 || !choice) {
      reportFieldErrors(form, errors);
      return;
    }
    try {
      const mission = await whileBusy(form, () =>
        apiFetch<MissionDetail>('/api/missions', {
          method: 'POST',
          body: {
            title,
            ...(description ? { description } : {}),
            kind: kind.value,
            place,
            audience: choice.audience,
            slots,
          },
        }),
      );
      window.location.assign(`${missionHref(mission.id)}&cree=1`);
    } catch (error) {
      if (isSessionLost(error)) {
        toSignIn('expiree');
        return;
      }
      const message =
        error instanceof ApiError
          ? error.message
          : 'Une erreur inattendue est survenue. Réessayez dans un instant.';
      say(alert, message, 'error');
      const field = error instanceof ApiError ? error.field : undefined;
      const target = field && hasField(form, field) ? field : field?.split('.')[0];
      if (target && hasField(form, target)) {
        showFieldError(form, target, message);
        focusField(form, target);
      }
    }
  });
}
