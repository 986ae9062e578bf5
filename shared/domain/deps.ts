import { ulid } from 'ulid';

/** The ports a use case needs besides data: a clock and an id source (faked in unit tests). */
export interface Deps {
  now: () => Date;
  newId: () => string;
}

export const defaultDeps: Deps = { now: () => new Date(), newId: () => ulid() };
