/**
 * The charter text (a copy of `../shared/seed/charte-coopol.txt`) split into a title, an
 * introduction and numbered chapters, at build time.
 */
import raw from '../content/charte-coopol.txt?raw';

export interface CharterChapter {
  /** Anchor id, e.g. `donnees-personnelles`. */
  id: string;
  /** The heading as written, e.g. `1. Données personnelles`. */
  title: string;
  paragraphs: string[];
}

export interface Charter {
  title: string;
  intro: string[];
  chapters: CharterChapter[];
}

/** The text was scraped from a web page: its first line is the page's navigation, not the charter. */
const SCRAPED_NAVIGATION = /^connexion utilisateur$/i;
const CHAPTER_HEADING = /^\d+\.\s+\S.{0,80}$/;

function slug(text: string): string {
  return text
    .replace(/^\d+\.\s+/, '')
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

export function parseCharter(text: string): Charter {
  const blocks = text
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((block) => block.replace(/\s*\n\s*/g, ' ').trim())
    .filter((block) => block.length > 0 && !SCRAPED_NAVIGATION.test(block));
  const [title = 'Charte de la coopol', ...rest] = blocks;
  const charter: Charter = { title, intro: [], chapters: [] };
  for (const block of rest) {
    if (CHAPTER_HEADING.test(block) && !block.endsWith('.')) {
      charter.chapters.push({ id: slug(block), title: block, paragraphs: [] });
    } else {
      const current = charter.chapters.at(-1);
      if (current) current.paragraphs.push(block);
      else charter.intro.push(block);
    }
  }
  return charter;
}

export const charter: Charter = parseCharter(raw);

/**
 * The secretary's confidentiality commitment, quoted from chapter 1 (« Données personnelles »)
 * as written: a secretary accepts it before first seeing contact details (SPEC §1). The build
 * fails if the charter no longer says it, so the quote cannot drift from the text.
 */
function commitmentOf(parsed: Charter): { text: string; chapter: CharterChapter } {
  for (const chapter of parsed.chapters) {
    for (const paragraph of chapter.paragraphs) {
      const match = /Les coordonnées des adhérents socialistes[^.]*\.[^.]*divulguer\./.exec(paragraph);
      if (match) return { text: match[0], chapter };
    }
  }
  throw new Error('The charter no longer states the secretaries’ confidentiality commitment');
}

export const confidentialityCommitment = commitmentOf(charter);
