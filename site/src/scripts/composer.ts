/**
 * The behaviour of `components/Composer.astro`: the audiences that make sense for the member
 * (SPEC §2, §4 — the API has the last word), the checks made before asking, and the API's refusal
 * shown near the form in an alert. Images (issue 10): each chosen file is previewed and sent at
 * once (createUpload → PUT → process); the post names the processed ones with their required
 * alternative text.
 */
import { ApiError, type Profile } from './api.ts';
import {
  byId,
  clearErrors,
  clearErrorsOnEdit,
  clearFieldError,
  fieldValue,
  showFieldError,
  whileBusy,
} from './forms.ts';
import type { Group } from './groups.ts';
import { element } from './labels.ts';
import { isSessionLost, messageOf, toSignIn } from './me.ts';
import { ALT_MAX, fileRefusal, MAX_POST_IMAGES, uploadPostImage } from './post-images.ts';
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

const FIELD_OF: Record<string, string> = { title: 'title', body: 'body', images: 'images' };

/** An image chosen in the composer: its preview, its alternative text, its upload under way. */
interface ChosenImage {
  /** The name of its alternative text field (`image-alt-<n>`). */
  field: string;
  preview: string;
  item: HTMLLIElement;
  alt: HTMLInputElement;
  label: HTMLLabelElement;
  remove: HTMLButtonElement;
  /** Settles with the processed media's id, or the French reason it failed. */
  result: Promise<{ mediaId: string } | { failure: string }>;
}

/**
 * The composer's images: « Ajouter des images » (4 at most, checked before sending), a preview
 * and a required « Texte alternatif » field for each, « Retirer ». Uploads start at once.
 */
function wireImages(form: HTMLFormElement) {
  const input = form.querySelector<HTMLInputElement>('[data-image-input]') as HTMLInputElement;
  const list = form.querySelector<HTMLUListElement>('[data-image-list]') as HTMLUListElement;
  let chosen: ChosenImage[] = [];
  let serial = 0;

  function sync(): void {
    list.hidden = chosen.length === 0;
    input.disabled = chosen.length >= MAX_POST_IMAGES;
    chosen.forEach((c, i) => {
      c.label.textContent = `Texte alternatif de l’image ${i + 1}`;
      c.remove.textContent = `Retirer l’image ${i + 1}`;
    });
  }

  function drop(c: ChosenImage): void {
    URL.revokeObjectURL(c.preview);
    c.item.remove();
    chosen = chosen.filter((other) => other !== c);
    sync();
  }

  function add(file: File): void {
    const field = `image-alt-${form.id}-${serial++}`;
    const item = element('li', undefined, 'composer-image');
    const preview = URL.createObjectURL(file);
    const img = element('img');
    // The text next to it describes it; the preview itself adds nothing for a screen reader.
    img.alt = '';
    img.src = preview;
    const box = element('div');
    const fieldBox = element('div', undefined, 'field');
    const label = element('label');
    label.htmlFor = field;
    const hint = element(
      'p',
      `Ce que montre l’image, en une ou deux phrases (${ALT_MAX} caractères au plus).`,
      'hint',
    );
    hint.id = `${field}-hint`;
    const alt = element('input');
    alt.type = 'text';
    alt.id = field;
    alt.name = field;
    alt.required = true;
    alt.maxLength = ALT_MAX;
    alt.setAttribute('aria-describedby', hint.id);
    const error = element('p', undefined, 'field-error');
    error.id = `${field}-error`;
    error.dataset.errorFor = field;
    error.hidden = true;
    fieldBox.append(label, hint, alt, error);
    const state = element('p', 'Envoi de l’image…', 'hint');
    state.setAttribute('role', 'status');
    const remove = element('button', undefined, 'button secondary small');
    remove.type = 'button';
    box.append(fieldBox, state, remove);
    item.append(img, box);
    list.append(item);
    const result = uploadPostImage(file).then(
      (mediaId) => {
        state.textContent = 'Image prête.';
        return { mediaId };
      },
      (error: unknown) => {
        if (isSessionLost(error)) toSignIn('expiree');
        const failure = `${file.name} : ${messageOf(error)} Retirez-la et choisissez-la de nouveau.`;
        state.textContent = failure;
        return { failure };
      },
    );
    const c: ChosenImage = { field, preview, item, alt, label, remove, result };
    remove.addEventListener('click', () => {
      drop(c);
      input.focus();
    });
    chosen.push(c);
  }

  input.addEventListener('change', () => {
    clearFieldError(form, 'images');
    const files = Array.from(input.files ?? []);
    input.value = '';
    const room = MAX_POST_IMAGES - chosen.length;
    const refusals: string[] = [];
    if (files.length > room)
      refusals.push(`${MAX_POST_IMAGES} images au plus : ${files.length - room} n’ont pas été ajoutées.`);
    for (const file of files.slice(0, Math.max(room, 0))) {
      const refusal = fileRefusal(file);
      if (refusal) refusals.push(`${file.name} : ${refusal}`);
      else add(file);
    }
    if (refusals.length > 0) showFieldError(form, 'images', refusals.join(' '));
    sync();
    chosen.at(-1)?.alt.focus();
  });

  return {
    /** The field name of the n-th image's alternative text (API errors `images.<n>.alt`). */
    fieldOf: (index: number) => chosen[index]?.field,
    /** The alternative texts the member must still give. */
    check(): Array<[string, string]> {
      const errors: Array<[string, string]> = [];
      for (const c of chosen) {
        const alt = c.alt.value.trim();
        if (!alt) errors.push([c.field, 'Décrivez cette image : le texte alternatif est obligatoire.']);
        else if (alt.length > ALT_MAX)
          errors.push([c.field, `Le texte alternatif dépasse ${ALT_MAX} caractères.`]);
      }
      return errors;
    },
    /** Waits for the uploads; the images to post, or the first failure. */
    async ready(): Promise<{ images: { mediaId: string; alt: string }[] } | { failure: string }> {
      const images: { mediaId: string; alt: string }[] = [];
      for (const c of chosen) {
        const done = await c.result;
        if ('failure' in done) return done;
        images.push({ mediaId: done.mediaId, alt: c.alt.value.trim() });
      }
      return { images };
    },
    clear(): void {
      for (const c of [...chosen]) drop(c);
    },
  };
}

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
  const images = wireImages(form);

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
    errors.push(...images.check());
    if (errors.length > 0 || !choice) {
      refuse(errors);
      return;
    }
    let post: Post;
    try {
      post = await whileBusy(form, async () => {
        const sent = await images.ready();
        if ('failure' in sent) throw new ApiError(400, 'media.upload_failed', sent.failure, 'images');
        return createPost({
          audience: choice.audience,
          body,
          ...(title ? { title } : {}),
          ...(sent.images.length > 0 ? { images: sent.images } : {}),
        });
      });
    } catch (error) {
      if (isSessionLost(error)) {
        toSignIn('expiree');
        return;
      }
      if (error instanceof ApiError) {
        const imageAlt = /^images\.(\d+)\.alt$/.exec(error.field ?? '');
        const field = error.field?.startsWith('audience')
          ? 'audience'
          : imageAlt
            ? images.fieldOf(Number(imageAlt[1]))
            : FIELD_OF[error.field?.startsWith('images') ? 'images' : (error.field ?? '')];
        if (field && (field !== 'audience' || !single)) refuse([[field, error.message]], error.message);
        else refuse([], error.message);
      } else refuse([], 'Une erreur inattendue est survenue. Réessayez dans un instant.');
      return;
    }
    form.reset();
    images.clear();
    status.dataset.kind = 'success';
    say(status, post.title ? `Votre billet « ${post.title} » est publié.` : 'Votre message est publié.');
    options.onPosted(post);
  });
}
