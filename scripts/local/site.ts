import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './emulators.ts';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name === '.astro') continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** Builds the Astro site into site/dist unless the build is newer than every source file. */
export async function ensureSiteBuilt(log: (line: string) => void = () => {}): Promise<void> {
  const siteDir = path.join(ROOT, 'site');
  const marker = path.join(siteDir, 'dist/index.html');
  const sources = [siteDir, path.join(ROOT, 'shared')].filter(existsSync);
  const newestSource = Math.max(...sources.map(newestMtime));
  if (existsSync(marker) && statSync(marker).mtimeMs >= newestSource) return;
  log('Building the site (astro build)…');
  const out = spawnSync(
    process.execPath,
    [path.join(ROOT, 'node_modules/astro/bin/astro.mjs'), 'build', '--root', siteDir, '--silent'],
    {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' },
    },
  );
  if (out.status !== 0) throw new Error('The site build failed (astro build --root site)');
}
