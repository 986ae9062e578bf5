/**
 * The charter version members accept at sign-up. Bump it when `../shared/seed/charte-coopol.txt`
 * changes in substance: consent records keep the version that was accepted.
 */
export const CHARTER_VERSION = '2026-11';
