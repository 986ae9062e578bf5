/**
 * Behaviour of `components/SectionPicker.astro`: the list comes from `GET /api/sections` (one page
 * of 200 at most; beyond it the member narrows the list with the search box), grouped by
 * department in the usual order.
 */
import { apiFetch, type Section, type SectionRef } from './api.ts';
import { byId } from './forms.ts';

/** The API's largest page. */
const PAGE = 200;

export interface SectionPicker {
  select: HTMLSelectElement;
  /** Resolves once the first list is shown. */
  ready: Promise<void>;
  /** Keeps `section` in the list whatever the search (e.g. the member's current section) and selects it. */
  pin: (section: SectionRef) => void;
  /** Changes the text of the empty choice (« Toutes les sections », « Aucune section »…). */
  setPlaceholder: (text: string) => void;
}

/** Department codes in the usual order: 01…19, 2A, 2B, 21…95, then overseas (971…). */
function departmentOrder(code: string): number {
  const corsica: Record<string, number> = { '2A': 20.1, '2B': 20.2 };
  return corsica[code.toUpperCase()] ?? (Number.parseInt(code, 10) || 1000);
}

export function wireSectionPicker(
  id: string,
  /** Called when the list cannot be loaded, with a message to show under the field. */
  onError: (message: string) => void,
): SectionPicker {
  const select = byId<HTMLSelectElement>(id);
  const filter = byId<HTMLInputElement>(`${id}-filter`);
  const count = byId(`${id}-count`);
  const pinned = new Map<string, SectionRef>();
  let shown: Section[] = [];
  let more = false;
  let loaded = false;

  function render(): void {
    const chosen = select.value;
    const sorted = [...shown].sort(
      (a, b) =>
        departmentOrder(a.department) - departmentOrder(b.department) || a.name.localeCompare(b.name, 'fr'),
    );
    const placeholder = select.dataset.placeholder ?? '— Choisissez votre section —';
    const options: Array<HTMLOptionElement | HTMLOptGroupElement> = [new Option(placeholder, '')];
    for (const section of pinned.values()) {
      if (!sorted.some((s) => s.id === section.id)) options.push(new Option(section.name, section.id));
    }
    const groups = new Map<string, HTMLOptGroupElement>();
    for (const section of sorted) {
      let group = groups.get(section.department);
      if (!group) {
        group = document.createElement('optgroup');
        group.label = `Département ${section.department}`;
        groups.set(section.department, group);
      }
      group.append(new Option(`${section.name} (${section.department})`, section.id));
    }
    select.replaceChildren(...options, ...groups.values());
    // Keep the member's choice when a new search still lists it.
    if (chosen && (pinned.has(chosen) || sorted.some((section) => section.id === chosen)))
      select.value = chosen;
    if (!loaded) return;
    count.textContent =
      sorted.length === 0
        ? 'Aucune section ne correspond à cette recherche.'
        : sorted.length === 1
          ? '1 section proposée dans la liste.'
          : `${sorted.length} sections proposées dans la liste.`;
    if (more)
      count.textContent += ' D’autres existent : tapez le nom de votre ville ou votre numéro de département.';
  }

  let latest = 0;
  async function load(query: string): Promise<void> {
    const ticket = ++latest;
    try {
      const params = new URLSearchParams({ limit: String(PAGE) });
      if (query) params.set('q', query);
      const { items, cursor } = await apiFetch<{ items: Section[]; cursor?: string | null }>(
        `/api/sections?${params}`,
      );
      // A slower answer to an older search must not overwrite a newer one.
      if (ticket !== latest) return;
      shown = items;
      more = Boolean(cursor);
      loaded = true;
      render();
    } catch {
      if (ticket === latest)
        onError('La liste des sections n’a pas pu être chargée. Rechargez la page pour réessayer.');
    }
  }

  let debounce: number | undefined;
  filter.addEventListener('input', () => {
    window.clearTimeout(debounce);
    debounce = window.setTimeout(() => void load(filter.value.trim()), 250);
  });
  // Enter in the search box must not submit the whole form.
  filter.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') event.preventDefault();
  });

  return {
    select,
    ready: load(''),
    pin: (section) => {
      pinned.set(section.id, section);
      render();
      select.value = section.id;
    },
    setPlaceholder: (text) => {
      select.dataset.placeholder = text;
      const first = select.options[0];
      if (first && first.value === '') first.textContent = text;
    },
  };
}
