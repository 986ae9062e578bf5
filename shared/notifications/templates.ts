import type { Email } from './mailer.ts';

/**
 * Sent instead of a confirmation code when someone signs up with an address that already has an
 * account: the sign-up answer stays the same, so it never reveals who is a member (GDPR art. 9).
 */
export function accountAlreadyExists(to: string, siteUrl: string): Email {
  return {
    to,
    subject: 'Votre compte la coopol existe déjà',
    text: [
      'Bonjour,',
      '',
      "Quelqu'un (peut-être vous) a demandé à créer un compte sur la coopol avec cette adresse,",
      'mais un compte existe déjà pour elle.',
      '',
      `Pour vous connecter : ${siteUrl}/connexion`,
      "Si vous n'êtes pas à l'origine de cette demande, vous pouvez ignorer ce message.",
      '',
      "L'équipe de la coopol",
    ].join('\n'),
  };
}

/**
 * The confirmation-code email. In AWS, Cognito sends it (the user pool's verification message
 * uses the same words, see infra); locally the cognito-local bridge sends this through SES.
 */
export function confirmationCode(to: string, code: string): Email {
  return {
    to,
    subject: 'Votre code de confirmation la coopol',
    text: [
      'Bonjour,',
      '',
      `Votre code de confirmation est : ${code}`,
      '',
      'Saisissez-le sur la page de confirmation pour activer votre compte.',
      "Si vous n'avez pas demandé à rejoindre la coopol, ignorez ce message.",
      '',
      "L'équipe de la coopol",
    ].join('\n'),
  };
}
