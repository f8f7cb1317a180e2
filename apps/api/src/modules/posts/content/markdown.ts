import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

/**
 * Markdown to safe HTML, once, when a post is written (readers get stored HTML). markdown-it
 * renders (raw HTML allowed in the source), then sanitize-html keeps only an allowlist: no script,
 * event handler, style, iframe, form or `javascript:`/`data:` URL survives, whatever markdown-it
 * let through. Links leave with `rel="noopener nofollow ugc"` unless the author is staff
 * (docs/DECISIONS.md, "Posts: rendering").
 */
const markdown = new MarkdownIt({ html: true, linkify: true, typographer: false });

/** An image of the media library as a post shows it (see modules/media). */
export interface MediaImageRendering {
  src: string;
  srcset: string;
  width: number;
  height: number;
  alt: string | null;
  /** Shown under the image as `<figcaption>` when the image stands alone in its paragraph. */
  caption: string | null;
}

interface RenderEnv {
  media?: ReadonlyMap<string, MediaImageRendering>;
  [key: string | symbol]: unknown;
}

const escapeAttribute = (text: string): string =>
  text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

// `![alt](media:<id>)`: the library's image with its variants for `srcset`, its size (no layout
// shift) and its alt text (the Markdown's only while the library has none).
const defaultImage = markdown.renderer.rules.image;
markdown.renderer.rules.image = (tokens, idx, options, env: RenderEnv | undefined, self) => {
  const token = tokens[idx];
  const id = /^media:([0-9a-f-]{36})$/i.exec(String(token.attrGet('src') ?? ''))?.[1]?.toLowerCase();
  const media = id === undefined ? undefined : env?.media?.get(id);
  if (!media)
    return defaultImage ? defaultImage(tokens, idx, options, env, self) : self.renderToken(tokens, idx, options);
  // The library's alt text when it has one (edited there, it reaches every post), else the Markdown's.
  const alt = media.alt || self.renderInlineAsText(token.children ?? [], options, env).trim();
  return (
    `<img src="${escapeAttribute(media.src)}" srcset="${escapeAttribute(media.srcset)}"` +
    ` sizes="(max-width: ${media.width}px) 100vw, ${media.width}px" width="${media.width}" height="${media.height}"` +
    ` alt="${escapeAttribute(alt)}" loading="lazy" decoding="async">`
  );
};

const escapeText = (text: string): string =>
  text.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!);

type Tokens = Parameters<NonNullable<typeof markdown.renderer.rules.image>>[0];

/** The library image with a caption that is the whole content of the paragraph around `inline`, if any. */
function captionedImageOf(inline: Tokens[number] | undefined, env: RenderEnv | undefined): MediaImageRendering | null {
  if (inline?.type !== 'inline') return null;
  const children = (inline.children ?? []).filter((child) => !(child.type === 'text' && child.content.trim() === ''));
  if (children.length !== 1 || children[0].type !== 'image') return null;
  const id = /^media:([0-9a-f-]{36})$/i.exec(String(children[0].attrGet('src') ?? ''))?.[1]?.toLowerCase();
  const media = id === undefined ? undefined : env?.media?.get(id);
  return media?.caption ? media : null;
}

// A captioned library image alone in its paragraph becomes `<figure>` in place of the `<p>` (a
// figure may not sit inside a paragraph), its caption in `<figcaption>`. Within a line of text the
// image stays a plain `<img>`: a caption there would break the sentence it sits in.
const defaultParagraphOpen = markdown.renderer.rules.paragraph_open;
markdown.renderer.rules.paragraph_open = (tokens, idx, options, env: RenderEnv | undefined, self) => {
  if (captionedImageOf(tokens[idx + 1], env)) return '<figure>';
  return defaultParagraphOpen
    ? defaultParagraphOpen(tokens, idx, options, env, self)
    : self.renderToken(tokens, idx, options);
};
const defaultParagraphClose = markdown.renderer.rules.paragraph_close;
markdown.renderer.rules.paragraph_close = (tokens, idx, options, env: RenderEnv | undefined, self) => {
  const media = captionedImageOf(tokens[idx - 1], env);
  if (media) return `<figcaption>${escapeText(media.caption!)}</figcaption></figure>\n`;
  return defaultParagraphClose
    ? defaultParagraphClose(tokens, idx, options, env, self)
    : self.renderToken(tokens, idx, options);
};

const ALLOWED_TAGS = [
  ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'br', 'hr', 'blockquote', 'pre', 'code'],
  ...['ul', 'ol', 'li', 'strong', 'em', 'b', 'i', 'del', 's', 'sup', 'sub', 'kbd', 'mark', 'abbr'],
  ...['a', 'img', 'figure', 'figcaption', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'details', 'summary'],
];

/** Comments: paragraphs, lists, quotes, code, emphasis and links — no headings, images or tables. */
const COMMENT_TAGS = [
  'p',
  'br',
  'blockquote',
  'pre',
  'code',
  'ul',
  'ol',
  'li',
  'strong',
  'em',
  'b',
  'i',
  'del',
  's',
  'a',
];

const UGC_REL = 'noopener nofollow ugc';
const STAFF_REL = 'noopener';

/** Whether an href leaves the site (relative links and fragments do not). */
const isExternal = (href: string): boolean => /^(?:[a-z][a-z0-9+.-]*:|\/\/)/i.test(href) && !/^mailto:/i.test(href);

function sanitizeOptions(staff: boolean, tags: string[] = ALLOWED_TAGS): sanitizeHtml.IOptions {
  return {
    allowedTags: tags,
    allowedAttributes: {
      a: ['href', 'title', 'rel'],
      img: ['src', 'srcset', 'sizes', 'alt', 'title', 'width', 'height', 'loading', 'decoding'],
      abbr: ['title'],
      code: ['class'],
      th: ['scope'],
      ol: ['start'],
    },
    allowedClasses: { code: ['language-*'] },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesByTag: { img: ['http', 'https'] },
    allowProtocolRelative: false,
    disallowedTagsMode: 'discard',
    // Text of removed <script>/<style>/<textarea> goes too, not only the tags.
    nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'iframe', 'object', 'embed'],
    transformTags: {
      a: (tagName, attribs) => {
        const href = attribs.href ?? '';
        const { rel: _ignored, ...rest } = attribs;
        return {
          tagName,
          attribs: isExternal(href) ? { ...rest, rel: staff ? STAFF_REL : UGC_REL } : rest,
        };
      },
    },
  };
}

/** The sanitized HTML of a Markdown text. `staff`: links the site vouches for (no `nofollow ugc`). */
export function renderMarkdown(
  source: string,
  { staff = false, media }: { staff?: boolean; media?: ReadonlyMap<string, MediaImageRendering> } = {},
): string {
  return sanitizeHtml(markdown.render(source, { media } satisfies RenderEnv), sanitizeOptions(staff)).trim();
}

/** The sanitized HTML of a comment: the Markdown subset of COMMENT_TAGS, links always `nofollow ugc`. */
export function renderCommentMarkdown(source: string): string {
  return sanitizeHtml(markdown.render(source), sanitizeOptions(false, COMMENT_TAGS)).trim();
}

/**
 * The text of sanitized HTML: tags gone, blocks separated, whitespace collapsed. `captions: false`
 * leaves `<figcaption>`s out: a post's excerpt, reading time and level are of its own text, not of
 * the library's captions (which change without the post being saved, and would open an excerpt).
 */
export function plainText(html: string, { captions = true }: { captions?: boolean } = {}): string {
  const kept = captions ? html : html.replace(/<figcaption>[\s\S]*?<\/figcaption>/gi, ' ');
  const spaced = kept.replace(/<\/(p|h[1-6]|li|blockquote|pre|tr|td|th|figcaption|summary)>|<br\s*\/?>/gi, '$& ');
  const text = sanitizeHtml(spaced, { allowedTags: [], allowedAttributes: {} });
  return decodeEntities(text).replace(/\s+/g, ' ').trim();
}

/**
 * The text a post's excerpt is cut from: its prose, without headings, code blocks and captions,
 * and a full stop after a paragraph or list item that ends without punctuation. Joined with spaces
 * only, a heading or a list item ran into the next sentence ("The lamp A paraffin burner…", "First
 * order lens Clockwork rotation"); code is not prose. Empty when the body is only those.
 */
export function proseText(html: string): string {
  const prose = html
    .replace(/<(h[1-6]|pre|figcaption)\b[^>]*>[\s\S]*?<\/\1>/gi, ' ')
    .replace(/([^\s.!?…:;,>])(\s*)<\/(p|li|td|th|summary)>/gi, '$1.$2</$3>');
  return plainText(prose);
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'", nbsp: ' ' };
const decodeEntities = (text: string): string =>
  text.replace(/&(amp|lt|gt|quot|#39|apos|nbsp);/g, (_match, name: string) => ENTITIES[name] ?? '');

/** An excerpt: the start of the text, cut at a word boundary, at most `max` characters with the ellipsis. */
export function deriveExcerpt(text: string, max = 280): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const boundary = cut.lastIndexOf(' ');
  return `${(boundary > max / 2 ? cut.slice(0, boundary) : cut).replace(/[\s,;:.!?-]+$/, '')}…`;
}
