/**
 * The bench's output: Markdown, printed as it is measured and kept to be written to
 * `bench/results.md` at the end (overwritten on each run, so the file diffs well in a commit).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export type Cell = string | number;

export interface Table {
  headers: readonly string[];
  rows: readonly (readonly Cell[])[];
  /** Right-align these columns (by index): numbers read better that way. */
  right?: readonly number[];
}

/** A Markdown table whose columns are padded, so that it reads as well printed as rendered. */
export function markdownTable(table: Table): string {
  const cells = [table.headers, ...table.rows].map((row) => row.map((c) => String(c).replaceAll('|', '\\|')));
  const widths = table.headers.map((_, i) => Math.max(3, ...cells.map((row) => (row[i] ?? '').length)));
  const right = new Set(table.right ?? []);
  const line = (row: readonly string[]) =>
    `| ${widths.map((w, i) => (right.has(i) ? (row[i] ?? '').padStart(w) : (row[i] ?? '').padEnd(w))).join(' | ')} |`;
  const rule = `| ${widths.map((w, i) => (right.has(i) ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w))).join(' | ')} |`;
  const [head = [], ...body] = cells;
  return [line(head), rule, ...body.map(line)].join('\n');
}

export class Report {
  private readonly blocks: string[] = [];

  /** Prints a Markdown block now and keeps it for the results file. */
  add(markdown: string): void {
    console.log(`${markdown}\n`);
    this.blocks.push(markdown);
  }

  heading(text: string, level = 2): void {
    this.add(`${'#'.repeat(level)} ${text}`);
  }

  paragraph(...lines: string[]): void {
    this.add(lines.join('\n'));
  }

  table(table: Table): void {
    this.add(markdownTable(table));
  }

  write(file: string): void {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `${this.blocks.join('\n\n')}\n`);
  }
}

export const kB = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;
export const ms = (n: number) => `${n.toFixed(1)} ms`;
export const signedMs = (n: number) => `${n >= 0 ? '+' : '−'}${Math.abs(n).toFixed(1)} ms`;

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}
