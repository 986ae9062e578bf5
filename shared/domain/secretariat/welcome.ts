import * as z from 'zod/mini';
import type { Actor } from '../../auth/actor.ts';
import type { TxWrite } from '../../data/client.ts';
import { newConversationWrites, replyWrites } from '../../data/conversations.ts';
import type { Member } from '../../data/members.ts';
import type { Section } from '../../data/sections.ts';
import {
  putWelcomeTemplate,
  type WelcomeTemplate,
  welcomeTemplateWithSection,
} from '../../data/welcome-templates.ts';
import { NotFoundError } from '../../errors.ts';
import { notify } from '../../notifications/notify.ts';
import type { Deps } from '../deps.ts';
import { defaultDeps } from '../deps.ts';
import { freeText } from '../schemas.ts';

/** The words a template may use, each replaced when the welcome is sent. */
export const PLACEHOLDERS = ['prénom', 'nom', 'section', 'secrétaire'] as const;
type Placeholder = (typeof PLACEHOLDERS)[number];

/** A welcome stays a short message: its rendered text is far below a message's 5,000 characters. */
export const WELCOME_MAX = 2000;

/** The text a section sends until one of its secretaries writes its own. */
export const DEFAULT_WELCOME = [
  'Bonjour {prénom},',
  '',
  'Bienvenue dans la section {section} ! Votre adhésion vient d’être confirmée : vous faites désormais partie du cercle des adhérent·es.',
  '',
  'Sur la coopol, vous choisissez qui voit votre profil (Paramètres), vous retrouvez des coopains dans l’annuaire et vous suivez l’agenda de la section. Pour toute question, répondez-moi simplement ici.',
  '',
  // The conversation page makes this exact path a link to the « Premiers pas » tour.
  'Pour bien commencer : /bienvenue/',
  '',
  'À bientôt,',
  '{secrétaire}',
].join('\n');

const BRACES = /\{([^{}]*)\}/g;

/** The unknown `{…}` words of a template (a typo would otherwise reach members as is). */
export function unknownPlaceholders(text: string): string[] {
  return [...text.matchAll(BRACES)]
    .map((m) => m[1] ?? '')
    .filter((name) => !PLACEHOLDERS.includes(name as Placeholder));
}

export const WelcomeTemplateInput = z.strictObject({
  text: z.pipe(
    freeText(WELCOME_MAX),
    z.string().check(
      z.minLength(1, 'Écrivez le message d’accueil.'),
      z.refine(
        (s) => unknownPlaceholders(s).length === 0,
        `Champs connus : ${PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}.`,
      ),
    ),
  ),
});

/** The template with its placeholders replaced. */
export function renderWelcome(text: string, values: Record<Placeholder, string>): string {
  return text.replace(BRACES, (whole, name: string) =>
    PLACEHOLDERS.includes(name as Placeholder) ? values[name as Placeholder] : whole,
  );
}

export interface WelcomeTemplateView {
  section: { id: string; name: string };
  text: string;
  /** True while no secretary has written the section's own text. */
  isDefault: boolean;
  updatedAt: string | null;
  updatedByName: string | null;
  placeholders: string[];
  maxLength: number;
}

function view(section: Section, template: WelcomeTemplate | undefined): WelcomeTemplateView {
  return {
    section: { id: section.id, name: section.name },
    text: template?.text ?? DEFAULT_WELCOME,
    isDefault: !template,
    updatedAt: template?.updatedAt ?? null,
    updatedByName: template?.updatedByName ?? null,
    placeholders: PLACEHOLDERS.map((p) => `{${p}}`),
    maxLength: WELCOME_MAX,
  };
}

/** Only the section's own secretaries (an admin included otherwise) see or edit its welcome. */
function secretaryOnly(actor: Actor, sectionId: string): void {
  if (!actor.member.roles.secretaryOf.includes(sectionId))
    throw new NotFoundError('section.not_found', 'Section introuvable.');
}

/** Secrétariat → Message d’accueil: the section's template, or the default one. 2 round trips. */
export async function getWelcomeTemplateOf(actor: Actor, sectionId: string): Promise<WelcomeTemplateView> {
  secretaryOnly(actor, sectionId);
  const { section, template } = await welcomeTemplateWithSection(sectionId);
  if (!section) throw new NotFoundError('section.not_found', 'Section introuvable.');
  return view(section, template);
}

/** A secretary saves the section's welcome text (validated, placeholders known). 3 round trips. */
export async function saveWelcomeTemplate(
  actor: Actor,
  sectionId: string,
  input: z.infer<typeof WelcomeTemplateInput>,
  deps: Deps = defaultDeps,
): Promise<WelcomeTemplateView> {
  secretaryOnly(actor, sectionId);
  const { section } = await welcomeTemplateWithSection(sectionId);
  if (!section) throw new NotFoundError('section.not_found', 'Section introuvable.');
  const template: WelcomeTemplate = {
    sectionId,
    text: input.text,
    updatedAt: deps.now().toISOString(),
    updatedBy: actor.memberId,
    updatedByName: `${actor.member.firstName} ${actor.member.lastName}`,
  };
  await putWelcomeTemplate(template);
  return view(section, template);
}

/**
 * The welcome from the confirming secretary (issue 11, SPEC §8): a message in their one-to-one
 * conversation with the member (created if none) and its `message.new` notification, to go in
 * the confirmation's own transaction — the member is welcomed exactly when they are confirmed.
 */
export function welcomeWrites(
  actor: Actor,
  member: Member,
  section: Section,
  template: WelcomeTemplate | undefined,
  conversationId: string | undefined,
  deps: Deps,
): TxWrite[] {
  const text = renderWelcome(template?.text ?? DEFAULT_WELCOME, {
    prénom: member.firstName,
    nom: member.lastName,
    section: section.name,
    secrétaire: `${actor.member.firstName} ${actor.member.lastName}`,
  });
  const id = conversationId ?? deps.newId();
  const message = {
    id: deps.newId(),
    conversationId: id,
    authorId: actor.memberId,
    text,
    at: deps.now().toISOString(),
  };
  return [
    ...(conversationId ? replyWrites(message, member.id) : newConversationWrites(id, message, member.id)),
    ...notify(actor, member.id, 'message.new', deps, { conversationId: id }),
  ];
}
