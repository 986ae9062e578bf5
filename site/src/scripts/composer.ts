/**
 * The behaviour of `components/Composer.astro`: the audiences that make sense for the member
 * (SPEC §2, §4 — the API has the last word), the checks made before asking, and the API's refusal
 * shown near the form in an alert.
 */
import { ApiError, type Profile } from './api.ts';
import { byId, clearErrors, clearErrorsOnEdit, fieldValue, showFieldError, whileBusy } from './forms.ts';
import type { Group } from './groups.ts';
import { isSessionLost, toSignIn } from './me.ts';
import {
  type Audience,
  createPost,
  inAdherentsCircle,
  inSectionCircle,
  mayPostOnPublicPage,
  mayWrite,
  POST_MAX,
  type Post,
  TITLE_MAX,
} from './posts.ts';

export interface AudienceChoice {
  /** The option's value, unique in the list. */
  value: string;
  label: string;
  audience: Audience;
}

export function choiceOf(audience: Audience, label: string): AudienceChoice {
  const value =
    audience.kind === 'group'
      ? `group:${audience.groupId}`
      : audience.kind === 'section-public' || audience.kind === 'section-private'
        ? `${audience.kind}:${audience.sectionId}`
        : audience.kind;
  return { value, label, audience };
}

/** Le fil's audiences: every place the member may publish to, narrowest choices last. */
export function feedChoices(me: Profile, groups: readonly Group[]): AudienceChoice[] {
  const choices: AudienceChoice[] = [];
  if (me.visibility === 'all') choices.push(choiceOf({ kind: 'all' }, 'Tous les membres de la coopol'));
  if (inAdherentsCircle(me)) choices.push(choiceOf({ kind: 'adherents' }, 'Les adhérent·es (PS et MJS)'));
  choices.push(choiceOf({ kind: 'coopains' }, 'Mes coopains'));
  const section = me.section;
  if (section) {
    if (mayPostOnPublicPage(me, section.id))
      choices.push(
        choiceOf(
          { kind: 'section-public', sectionId: section.id },
          `Ma section ${section.name} — page publique (tous les membres)`,
        ),
      );
    if (inSectionCircle(me, section.id))
      choices.push(
        choiceOf(
          { kind: 'section-private', sectionId: section.id },
          `Ma section ${section.name} — page privée (les adhérent·es de la section)`,
        ),
      );
  }
  for (const group of groups)
    if (group.me?.status === 'active')
      choices.push(choiceOf({ kind: 'group', groupId: group.id }, `Groupe ${group.name}`));
  return choices;
}

/** What the member cannot choose, said once under the list. */
export function feedChoicesHint(me: Profile): string {
  const notes = ['Choisissez qui pourra lire votre message.'];
  if (me.visibility !== 'all')
    notes.push(
      '« Tous les membres » et la page publique de votre section demandent un profil visible de tous (Paramètres).',
    );
  return notes.join(' ');
}

/** Why a member cannot publish at all, or null. */
export function closedReason(me: Profile): string | null {
  if (me.visibility === 'section')
    return 'Vous avez choisi « Ma section uniquement » : vous lisez les pages de votre section, mais vous n’apparaissez pas dans la coopol. Pour publier ou commenter, choisissez d’abord d’être visible des adhérent·es ou de tous.';
  if (!mayWrite(me)) return 'Votre compte ne peut pas publier pour le moment.';
  return null;
}

export interface ComposerOptions {
  /** The form's id (as given to `Composer.astro`). */
  id: string;
  choices: AudienceChoice[];
  /** Shown under the list of audiences. */
  hint?: string;
  /** The member may not publish here: the composer is replaced by this explanation. */
  closed?: { text: string; settings?: boolean } | null;
  onPosted: (post: Post) => void;
}

const FIELD_OF: Record<string, string> = { title: 'title', body: 'body' };

/** Fills and wires a composer; shows it, or the reason it is closed. */
export function wireComposer(options: ComposerOptions): void {
  const box = byId(`${options.id}-box`);
  const closedBox = byId(`${options.id}-closed`);
  const form = byId<HTMLFormElement>(options.id);
  const select = byId<HTMLSelectElement>(`${options.id}-audience`);
  const alert = form.querySelector<HTMLElement>('[data-alert]') as HTMLElement;
  const status = form.querySelector<HTMLElement>('[data-status]') as HTMLElement;

  const closed =
    options.closed ?? (options.choices.length === 0 ? { text: 'Vous ne pouvez pas publier ici.' } : null);
  if (closed) {
    box.hidden = true;
    (closedBox.querySelector('[data-closed-text]') as HTMLElement).textContent = closed.text;
    (closedBox.querySelector('[data-closed-settings]') as HTMLElement).hidden = !closed.settings;
    closedBox.hidden = false;
    return;
  }
  closedBox.hidden = true;

  const byValue = new Map(options.choices.map((choice) => [choice.value, choice]));
  const single = options.choices.length === 1 ? options.choices[0] : undefined;
  const choiceField = form.querySelector<HTMLElement>('[data-audience-choice]') as HTMLElement;
  const fixed = form.querySelector<HTMLElement>('[data-audience-fixed]') as HTMLElement;
  if (single) {
    // One place only (a section's page, a group): said, not asked.
    choiceField.hidden = true;
    fixed.textContent = `Publié pour : ${single.label}`;
    fixed.hidden = false;
  } else {
    const placeholder = new Option('— Choisissez —', '');
    select.replaceChildren(placeholder, ...options.choices.map((c) => new Option(c.label, c.value)));
    (form.querySelector('[data-audience-hint]') as HTMLElement).textContent =
      options.hint ?? 'Choisissez qui pourra lire votre message.';
  }
  box.hidden = false;
  clearErrorsOnEdit(form);

  function say(region: HTMLElement, message: string): void {
    region.textContent = '';
    window.setTimeout(() => {
      region.textContent = message;
    }, 50);
  }

  function refuse(errors: Array<[string, string]>, summary?: string): void {
    for (const [field, message] of errors) showFieldError(form, field, message);
    alert.dataset.kind = 'error';
    say(
      alert,
      summary ??
        (errors.length === 1
          ? `Le message ne peut pas être publié : ${errors[0]?.[1] ?? ''}`
          : 'Le message ne peut pas être publié : corrigez les champs signalés.'),
    );
    const first = errors[0];
    if (first) form.querySelector<HTMLElement>(`[name="${first[0]}"]`)?.focus();
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    alert.textContent = '';
    status.textContent = '';
    const choice = single ?? byValue.get(select.value);
    const title = fieldValue(form, 'title');
    const body = fieldValue(form, 'body');
    const errors: Array<[string, string]> = [];
    if (!choice) errors.push(['audience', 'Choisissez qui pourra lire votre message.']);
    if (title.length > TITLE_MAX) errors.push(['title', `Le titre dépasse ${TITLE_MAX} caractères.`]);
    if (!body) errors.push(['body', 'Écrivez votre message.']);
    else if (body.length > POST_MAX)
      errors.push(['body', `Votre message dépasse ${POST_MAX.toLocaleString('fr-FR')} caractères.`]);
    if (errors.length > 0 || !choice) {
      refuse(errors);
      return;
    }
    let post: Post;
    try {
      post = await whileBusy(form, () =>
        createPost({ audience: choice.audience, body, ...(title ? { title } : {}) }),
      );
    } catch (error) {
      if (isSessionLost(error)) {
        toSignIn('expiree');
        return;
      }
      if (error instanceof ApiError) {
        const field = error.field?.startsWith('audience') ? 'audience' : FIELD_OF[error.field ?? ''];
        if (field && (field !== 'audience' || !single)) refuse([[field, error.message]], error.message);
        else refuse([], error.message);
      } else refuse([], 'Une erreur inattendue est survenue. Réessayez dans un instant.');
      return;
    }
    form.reset();
    status.dataset.kind = 'success';
    say(status, post.title ? `Votre billet « ${post.title} » est publié.` : 'Votre message est publié.');
    options.onPosted(post);
  });
}
