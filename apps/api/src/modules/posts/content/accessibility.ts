import { Parser } from 'htmlparser2';

export const ACCESSIBILITY_CODES = [
  'IMAGE_WITHOUT_ALT',
  'HEADING_LEVEL_SKIPPED',
  'LINK_TEXT_EMPTY',
  'LINK_TEXT_VAGUE',
] as const;
export type AccessibilityCode = (typeof ACCESSIBILITY_CODES)[number];

export interface AccessibilityProblem {
  code: AccessibilityCode;
  message: string;
}

/** Link texts that say nothing out of context (a screen reader's list of links reads them alone). */
const VAGUE_LINK_TEXTS = new Set([
  'click here',
  'click',
  'here',
  'this',
  'this link',
  'link',
  'read more',
  'more',
  'learn more',
  'go',
  'see here',
]);

const HEADING = /^h([1-6])$/;

/**
 * What stops a post from being published (docs/API.md, "Accessibility on publish"): an image
 * without alt text, a heading that skips a level (the post's title is the h1, so the body starts
 * at h2 and goes one level deeper at a time), and a link whose text is empty or says nothing out
 * of context ("click here"). Runs on the sanitized HTML, so it sees what readers get.
 */
export function accessibilityProblems(html: string): AccessibilityProblem[] {
  const problems: AccessibilityProblem[] = [];
  let level = 1; // the title
  let images = 0;
  let heading: { level: number; text: string } | null = null;
  let link: { href: string; text: string } | null = null;

  const parser = new Parser(
    {
      onopentag(name, attributes) {
        const match = HEADING.exec(name);
        if (match) heading = { level: Number(match[1]), text: '' };
        if (name === 'a') link = { href: attributes.href ?? '', text: '' };
        if (name === 'img') {
          images += 1;
          const alt = (attributes.alt ?? '').trim();
          if (!alt) {
            const file = (attributes.src ?? '').split(/[?#]/)[0].split('/').pop() || 'without a source';
            problems.push({
              code: 'IMAGE_WITHOUT_ALT',
              message: `Image ${images} (${file}) has no alt text: describe what it shows for readers who cannot see it`,
            });
          }
          // An image inside a link names the link by its alt text.
          if (link) link.text += ` ${alt}`;
        }
      },
      ontext(text) {
        if (heading) heading.text += text;
        if (link) link.text += text;
      },
      onclosetag(name) {
        const match = HEADING.exec(name);
        if (match && heading) {
          const at = Number(match[1]);
          if (at > level + 1) {
            problems.push({
              code: 'HEADING_LEVEL_SKIPPED',
              message: `Heading "${heading.text.trim().slice(0, 60)}" is an h${at} after an h${level}: use h${level + 1} (the title is the h1)`,
            });
          }
          level = at;
          heading = null;
        }
        if (name === 'a' && link) {
          const text = link.text.replace(/\s+/g, ' ').trim();
          if (!text) {
            problems.push({ code: 'LINK_TEXT_EMPTY', message: `The link to ${link.href || 'nowhere'} has no text` });
          } else if (VAGUE_LINK_TEXTS.has(text.toLowerCase().replace(/[.!…:]+$/, ''))) {
            problems.push({
              code: 'LINK_TEXT_VAGUE',
              message: `The link "${text}" (to ${link.href}) says nothing out of context: name where it leads`,
            });
          }
          link = null;
        }
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  return problems;
}
