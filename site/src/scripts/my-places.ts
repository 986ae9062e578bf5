/**
 * The places a member acts in — their section and the sections they are secretary of (with names
 * and departments), and their groups — for the agenda's and the missions' forms and tabs.
 */
import { apiFetch, type Profile, type Section } from './api.ts';
import { type Group, myGroups } from './groups.ts';

/** A section by id: looked up by its name when known (one short answer), else in the full list. */
async function findSections(ids: readonly string[], names: ReadonlyMap<string, string>): Promise<Section[]> {
  const found = new Map<string, Section>();
  for (const id of ids) {
    const name = names.get(id);
    if (!name) continue;
    const { items } = await apiFetch<{ items: Section[] }>(`/api/sections?q=${encodeURIComponent(name)}`);
    const section = items.find((s) => s.id === id);
    if (section) found.set(id, section);
  }
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length > 0) {
    const { items } = await apiFetch<{ items: Section[] }>('/api/sections?limit=200');
    for (const section of items) if (missing.includes(section.id)) found.set(section.id, section);
  }
  return ids.flatMap((id) => {
    const section = found.get(id);
    if (section) return [section];
    const name = names.get(id);
    return name ? [{ id, name, department: '' }] : [];
  });
}

export interface MyPlaces {
  /** My own section, if any. */
  section: Section | null;
  /** The sections I am secretary of (mine first when I am its secretary). */
  secretaryOf: Section[];
  /** My groups (active or pending). */
  groups: Group[];
}

/** My section and the ones I run, with their departments, and my groups. */
export async function loadMyPlaces(me: Profile): Promise<MyPlaces> {
  const ids = [...new Set([...(me.section ? [me.section.id] : []), ...me.roles.secretaryOf])];
  const names = new Map(me.section ? [[me.section.id, me.section.name]] : []);
  const [sections, groups] = await Promise.all([
    ids.length > 0 ? findSections(ids, names) : Promise.resolve([]),
    myGroups().catch(() => [] as Group[]),
  ]);
  const byId = new Map(sections.map((s) => [s.id, s]));
  return {
    section: me.section ? (byId.get(me.section.id) ?? { ...me.section, department: '' }) : null,
    secretaryOf: me.roles.secretaryOf.flatMap((id) => {
      const section = byId.get(id);
      return section ? [section] : [];
    }),
    groups,
  };
}
