import MarkdownIt from 'markdown-it';

/**
 * Markdown → HTML for posts and comments, safe by construction: raw HTML is never passed through
 * (`html: false` escapes it), markdown-it's link check refuses `javascript:`, `vbscript:`,
 * `file:` and non-image `data:` URLs, images are not rendered (text only in posts for now) and
 * every link gets `rel="nofollow noopener noreferrer"`. The HTML is computed once at write time
 * and stored beside the source.
 */
const md = new MarkdownIt('default', { html: false, linkify: true, typographer: false, breaks: true });
md.disable(['image']);

const defaultLinkOpen =
  md.renderer.rules.link_open ??
  ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  const token = tokens[idx];
  if (token) {
    token.attrSet('rel', 'nofollow noopener noreferrer');
    token.attrSet('target', '_blank');
  }
  return defaultLinkOpen(tokens, idx, options, env, self);
};

// A heading in a post must not change the page's outline (an <h1> in le fil): rendered as a bold paragraph.
md.renderer.rules.heading_open = () => '<p><strong>';
md.renderer.rules.heading_close = () => '</strong></p>\n';

// Only web and mail links survive (markdown-it already drops script-like schemes).
const defaultValidate = md.validateLink.bind(md);
md.validateLink = (url: string) => defaultValidate(url) && /^(https?:|mailto:|\/|#)/i.test(url.trim());

export function renderMarkdown(source: string): string {
  return md.render(source);
}
