import type * as z from 'zod/mini';
import { ValidationError } from '../errors.ts';

type Issue = z.core.$ZodIssue;

/** A French message for a zod issue, unless the schema gave its own. */
function messageOf(issue: Issue): string {
  if (issue.message && issue.message !== 'Invalid input') return issue.message;
  switch (issue.code) {
    case 'too_small':
      return issue.origin === 'string' && Number(issue.minimum) <= 1
        ? 'Ce champ est obligatoire.'
        : `Trop court : ${String(issue.minimum)} caractères au moins.`;
    case 'too_big':
      return issue.origin === 'string'
        ? `Trop long : ${String(issue.maximum)} caractères au plus.`
        : 'Valeur trop grande.';
    case 'invalid_format':
      return issue.format === 'email' ? 'Adresse e-mail invalide.' : 'Format invalide.';
    case 'invalid_value':
      return 'Valeur non autorisée.';
    case 'invalid_type':
      return issue.input === undefined ? 'Ce champ est obligatoire.' : 'Type de valeur invalide.';
    case 'unrecognized_keys':
      return `Champ inconnu : ${issue.keys.join(', ')}.`;
    default:
      return 'Valeur invalide.';
  }
}

/** Parses input with a schema, or throws a ValidationError naming the first bad field. */
export function parseInput<S extends z.ZodMiniType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data as z.infer<S>;
  const issue = result.error.issues[0];
  if (!issue) throw new ValidationError('request.invalid', 'Requête invalide.');
  const field = issue.code === 'unrecognized_keys' ? issue.keys[0] : issue.path.map(String).join('.');
  throw new ValidationError('request.invalid', messageOf(issue), field || undefined);
}
