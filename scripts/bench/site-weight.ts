/**
 * Site weight: for each page of the built site (`site/dist/**\/index.html` and `404.html`), the
 * bytes a first visit downloads — the HTML, the stylesheets (`<link rel=stylesheet>`), the scripts
 * (`<script src>`, `<link rel=modulepreload>` and the modules they import statically) and the
 * images (`<img src>`) — raw and gzip (each file compressed on its own, as a server sends it).
 * Not counted: favicons, images or fonts referenced from CSS, dynamic `import()`, and external URLs.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { kB, type Report } from './report.ts';

interface Weight {
  raw: number;
  gzip: number;
}

export interface PageWeight {
  page: string;
  html: Weight;
  js: Weight;
  css: Weight;
  images: Weight;
  total: Weight;
  files: number;
  notCounted: string[];
}

const zero = (): Weight => ({ raw: 0, gzip: 0 });
const add = (w: Weight, content: Buffer) => {
  w.raw += content.length;
  w.gzip += gzipSync(content).length;
};

function attributes(tag: string): Map<string, string> {
  const attrs = new Map<string, string>();
  for (const m of tag.matchAll(/([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g)) {
    const name = m[1]?.toLowerCase();
    if (name) attrs.set(name, m[2] ?? m[3] ?? m[4] ?? '');
  }
  return attrs;
}

/** Static `import … from "x"`, `import "x"` and `export … from "x"` specifiers of a JS module. */
function staticImports(code: string): string[] {
  return [...code.matchAll(/\b(?:import|export)\b[^"'();=]*?["']([^"']+)["']/g)]
    .map((m) => m[1] ?? '')
    .filter((s) => s.startsWith('./') || s.startsWith('../') || s.startsWith('/'));
}

/** The file under `dist` that a URL in a page at `pageUrl` points to, or undefined if external. */
function resolveUrl(dist: string, pageUrl: string, ref: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(ref) || ref.startsWith('//')) return undefined;
  const url = new URL(ref, `http://site${pageUrl}`);
  return path.join(dist, decodeURIComponent(url.pathname));
}

export function pageWeight(dist: string, htmlFile: string): PageWeight {
  const rel = path.relative(dist, htmlFile).split(path.sep).join('/');
  const pageUrl = rel === 'index.html' ? '/' : `/${rel.replace(/index\.html$/, '')}`;
  const html = readFileSync(htmlFile);
  const text = html.toString('utf8');
  const w: PageWeight = {
    page: pageUrl,
    html: zero(),
    js: zero(),
    css: zero(),
    images: zero(),
    total: zero(),
    files: 1,
    notCounted: [],
  };
  add(w.html, html);

  const scripts: string[] = [];
  const styles: string[] = [];
  const images: string[] = [];
  let inlineJs = '';
  for (const m of text.matchAll(/<(script|link|img)\b([^>]*)>/gi)) {
    const tag = m[1]?.toLowerCase();
    const attrs = attributes(m[2] ?? '');
    const rels = (attrs.get('rel') ?? '').toLowerCase().split(/\s+/);
    let ref: string | undefined;
    let bucket: string[] | undefined;
    if (tag === 'script' && attrs.has('src')) [ref, bucket] = [attrs.get('src'), scripts];
    else if (tag === 'link' && rels.includes('stylesheet')) [ref, bucket] = [attrs.get('href'), styles];
    else if (tag === 'link' && rels.includes('modulepreload')) [ref, bucket] = [attrs.get('href'), scripts];
    else if (tag === 'img' && attrs.has('src')) [ref, bucket] = [attrs.get('src'), images];
    else if (tag === 'script') {
      // An inline script: its bytes are in the HTML already; shown in the JS column too.
      const end = text.indexOf('</script>', (m.index ?? 0) + m[0].length);
      if (end > 0) inlineJs += text.slice((m.index ?? 0) + m[0].length, end);
    }
    if (!ref || !bucket) continue;
    const file = resolveUrl(dist, pageUrl, ref);
    if (file && existsSync(file)) bucket.push(file);
    else w.notCounted.push(ref);
  }

  // Scripts are modules: follow their static imports (Astro splits shared code into chunks).
  const seenJs = new Set<string>();
  const queue = [...scripts];
  while (queue.length) {
    const file = queue.shift() as string;
    if (seenJs.has(file)) continue;
    seenJs.add(file);
    const code = readFileSync(file, 'utf8');
    for (const spec of staticImports(code)) {
      const target = spec.startsWith('/') ? path.join(dist, spec) : path.resolve(path.dirname(file), spec);
      if (existsSync(target)) queue.push(target);
      else w.notCounted.push(spec);
    }
  }

  const counted = new Set<string>();
  const tally = (files: Iterable<string>, into: Weight) => {
    for (const file of files) {
      if (counted.has(file)) continue;
      counted.add(file);
      const content = readFileSync(file);
      add(into, content);
      add(w.total, content);
      w.files++;
    }
  };
  tally(seenJs, w.js);
  tally(styles, w.css);
  tally(images, w.images);
  add(w.total, html);
  if (inlineJs.trim()) add(w.js, Buffer.from(inlineJs));
  return w;
}

function htmlPages(dist: string): string[] {
  return readdirSync(dist, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.split(path.sep).join('/').endsWith('index.html') || f === '404.html')
    .map((f) => path.join(dist, f));
}

export function reportSiteWeight(report: Report, dist: string, note = ''): void {
  const pages = htmlPages(dist)
    .map((f) => pageWeight(dist, f))
    .sort((a, b) => a.page.localeCompare(b.page));
  report.heading('Site weight');
  if (note) report.paragraph(`**${note}**`);
  report.paragraph(
    'Per page of the built site (`site/dist`), what a first visit downloads: the HTML, stylesheets (`<link rel=stylesheet>`), scripts (`<script src>`, `<link rel=modulepreload>` and every module they import statically) and images (`<img src>`). Raw and gzip (each file compressed on its own). Inline scripts are part of the HTML and also shown under JS. Not counted: favicons, images and fonts referenced from CSS, dynamic `import()`.',
  );
  report.table({
    headers: ['page', 'HTML', 'JS', 'CSS', 'images', 'total', 'JS gzip', 'total gzip', 'files'],
    rows: pages.map((p) => [
      `\`${p.page}\``,
      kB(p.html.raw),
      kB(p.js.raw),
      kB(p.css.raw),
      kB(p.images.raw),
      kB(p.total.raw),
      kB(p.js.gzip),
      kB(p.total.gzip),
      p.files,
    ]),
    right: [1, 2, 3, 4, 5, 6, 7, 8],
  });
  const missing = [...new Set(pages.flatMap((p) => p.notCounted))];
  if (missing.length) {
    report.paragraph(
      `Referenced but not found in \`site/dist\` (not counted): ${missing.map((m) => `\`${m}\``).join(', ')}`,
    );
  }
}
