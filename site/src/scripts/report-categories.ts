/**
 * The categories of charter §3, in the charter's order, with its words — the report dialog's
 * choices and the coopilotes' labels. Pure data: the dialog's markup is built from it at build time.
 */
export const REPORT_CATEGORIES = [
  ['injurious', 'Propos injurieux'],
  ['disrespect', 'Irrespect envers un interlocuteur'],
  ['personal_attack', 'Attaque personnelle ou mise en cause inutilement polémique'],
  ['defamation', 'Propos diffamatoires'],
  ['human_dignity', 'Atteinte à la dignité humaine'],
  ['against_left', 'Propos dirigés contre des formations de gauche ou leurs responsables'],
  ['copyright', 'Violation du droit d’auteur'],
  ['spam', 'Spam'],
  ['commercial_or_proselytism', 'Usage professionnel, commercial ou prosélytisme religieux'],
  ['mandate_usurpation', 'Usurpation de mandat ou de fonction'],
  ['identity_usurpation', 'Usurpation d’identité'],
] as const;

export type ReportCategory = (typeof REPORT_CATEGORIES)[number][0];
