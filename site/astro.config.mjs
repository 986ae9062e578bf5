// @ts-check
import { defineConfig } from 'astro/config';

// The site is plain static files served beside the API on one origin (`connect-src 'self'`).
// Scripts and styles always go to external files so a strict CSP (no 'unsafe-inline') can apply.
export default defineConfig({
  output: 'static',
  trailingSlash: 'ignore',
  build: { format: 'directory', inlineStylesheets: 'never' },
  vite: { build: { assetsInlineLimit: 0 } },
  devToolbar: { enabled: false },
});
