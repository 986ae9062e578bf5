import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { routes } from '../../shared/routes.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

describe('route table', () => {
  it('gives every route a unique id and a unique method + path under /api', () => {
    expect(new Set(routes.map((r) => r.id)).size).toBe(routes.length);
    expect(new Set(routes.map((r) => `${r.method} ${r.path}`)).size).toBe(routes.length);
    for (const r of routes) expect(r.path).toMatch(/^\/api(\/([a-z0-9-]+|\{[a-zA-Z]+\}))+$/);
  });

  it.each(routes.map((r) => [r.id, r] as const))(
    '%s has a handler file exporting handler for this route',
    async (_id, route) => {
      const file = path.join(ROOT, route.handler);
      expect(existsSync(file)).toBe(true);
      const mod = (await import(file)) as { handler?: { routeId?: string } };
      expect(typeof mod.handler).toBe('function');
      expect(mod.handler?.routeId).toBe(route.id);
    },
  );

  it('has no Scan anywhere in request-path code (functions/ and shared/)', () => {
    const offenders = [
      ...filesUnder(path.join(ROOT, 'functions')),
      ...filesUnder(path.join(ROOT, 'shared')),
    ].filter((f) => /ScanCommand|\.scan\(/.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('documents every route in docs/api.md', () => {
    const doc = readFileSync(path.join(ROOT, 'docs/api.md'), 'utf8');
    for (const r of routes) expect(doc, r.id).toContain(r.id);
  });
});
