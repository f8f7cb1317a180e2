import { loadConfig } from '../../config/app-config';
import { isPermanentMailError } from './mail.errors';
import { MailRenderer } from './mail-renderer';
import { appLink, InvalidMailError, MAIL_TEMPLATES, type MailTemplate, type VarsOf } from './mail.types';

const config = loadConfig(
  { APP_URL: 'https://atrium.example/app', CORS_ORIGINS: 'https://atrium.example', NODE_ENV: 'test' },
  { version: '0.0.0', spaDir: '/tmp' },
);
const link = (path: string, query?: Record<string, string>): string => appLink(config, path, query);

const SAMPLES: { [T in MailTemplate]: VarsOf<T> } = {
  'verify-email': {
    username: 'ada',
    verifyUrl: link('/verify-email', { token: 'tok-verify', email: 'ada+1@example.com' }),
    expiresInHours: 24,
  },
  'reset-password': {
    username: 'ada',
    resetUrl: link('/reset-password', { token: 'tok-reset' }),
    expiresInMinutes: 60,
  },
  'password-changed': {
    username: 'ada',
    changedAt: '2025-03-04T14:05:00.000Z',
    ip: '203.0.113.9',
    resetUrl: link('/forgot-password'),
  },
  'new-sign-in': {
    username: 'ada',
    at: '2025-03-04T14:05:00.000Z',
    ip: '198.51.100.7',
    device: 'Firefox on Linux',
    sessionsUrl: link('/settings/sessions'),
  },
  'comment-awaiting-moderation': {
    postTitle: 'Gardens in winter',
    commentExcerpt: 'Lovely post, thanks!',
    authorName: 'Grace',
    moderationUrl: link('/admin/comments', { status: 'pending' }),
  },
  'comment-approved': {
    username: 'grace',
    postTitle: 'Gardens in winter',
    commentUrl: link('/posts/gardens-in-winter', { comment: 'c-1' }),
  },
  'export-ready': { username: 'ada', downloadPageUrl: link('/settings/account'), expiresInHours: 24 },
  'comment-on-your-post': {
    username: 'ada',
    postTitle: 'Gardens in winter',
    commenterName: 'grace',
    commentExcerpt: 'Lovely post, thanks!',
    commentUrl: link('/posts/gardens-in-winter', { comment: 'c-2' }),
  },
  'comments-on-your-posts': {
    username: 'ada',
    commentCount: 3,
    postCount: 2,
    latestCommenterName: 'grace',
    latestPostTitle: 'Gardens in winter',
    latestExcerpt: 'Lovely post, thanks!',
    commentUrl: link('/posts/gardens-in-winter', { comment: 'c-3' }),
  },
  'delivery-test': { requestedAt: '2025-03-04T14:05:00.000Z', appUrl: link('/') },
  'account-invite': {
    username: 'grace',
    invitedBy: 'ada',
    setPasswordUrl: link('/reset-password', { token: 'tok-invite' }),
    expiresInHours: 72,
  },
  'account-exists': {
    username: 'ada',
    signInUrl: link('/sign-in'),
    resetUrl: link('/forgot-password'),
  },
  'confirm-email-change': {
    username: 'ada',
    confirmUrl: link('/confirm-email', { token: 'tok-change' }),
    expiresInHours: 24,
  },
  'email-change-requested': {
    username: 'ada',
    newEmail: 'a***@e***.org',
    requestedAt: '2025-03-04T14:05:00.000Z',
    resetUrl: link('/forgot-password'),
  },
  'email-changed': {
    username: 'ada',
    newEmail: 'a***@e***.org',
    changedAt: '2025-03-04T14:05:00.000Z',
    resetUrl: link('/forgot-password'),
  },
};

const ACTION_LINK: { [T in MailTemplate]: keyof VarsOf<T> } = {
  'verify-email': 'verifyUrl',
  'reset-password': 'resetUrl',
  'password-changed': 'resetUrl',
  'new-sign-in': 'sessionsUrl',
  'comment-awaiting-moderation': 'moderationUrl',
  'comment-approved': 'commentUrl',
  'comment-on-your-post': 'commentUrl',
  'comments-on-your-posts': 'commentUrl',
  'export-ready': 'downloadPageUrl',
  'delivery-test': 'appUrl',
  'account-invite': 'setPasswordUrl',
  'account-exists': 'signInUrl',
  'confirm-email-change': 'confirmUrl',
  'email-change-requested': 'resetUrl',
  'email-changed': 'resetUrl',
};

const OPTIONAL: Partial<Record<MailTemplate, readonly string[]>> = { 'password-changed': ['ip', 'resetUrl'] };

/** What a browser reads out of an attribute or text node. */
function decodeHtml(value: string): string {
  return value
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

const hrefs = (html: string): string[] => [...html.matchAll(/href="([^"]*)"/g)].map((m) => decodeHtml(m[1]));

function renderSample<T extends MailTemplate>(renderer: MailRenderer, template: T, overrides: Partial<VarsOf<T>> = {}) {
  return renderer.render(template, { ...SAMPLES[template], ...overrides });
}

describe('MailRenderer', () => {
  const renderer = new MailRenderer(config);

  describe.each(MAIL_TEMPLATES)('%s', (template) => {
    const mail = renderSample(renderer, template);
    const action = SAMPLES[template][ACTION_LINK[template] as never] as string;

    it('renders a one-line subject, an HTML document in the Atrium layout and a plain-text part', () => {
      expect(mail.subject.length).toBeGreaterThan(10);
      expect(mail.subject).not.toMatch(/[\r\n]|\{\{/);
      expect(mail.html).toMatch(/^<!DOCTYPE html>\s*<html lang="en"/);
      expect(mail.html).toContain(`<title>${mail.subject.replace(/"/g, '&quot;')}</title>`);
      expect(mail.html).toContain('>Atrium</td>');
      expect(mail.html).toMatch(/You received this (email|security notice) because/);
      expect(mail.text).toMatch(/You received this (email|security notice) because/);
      expect(mail.text).not.toMatch(/<[a-z]|&[a-z]+;|\{\{/i);
      expect(mail.text.endsWith('\n')).toBe(true);
      expect(mail.text).not.toMatch(/\n{3,}/);
    });

    it('shows the action link as a button and as a raw link in HTML, and on its own line in text', () => {
      const links = hrefs(mail.html);
      // The button, the copyable link, and the footer's link to the app.
      expect(links.filter((href) => href === action)).toHaveLength(2);
      expect(mail.html).toMatch(/If the button does not work, copy this link into your browser/);
      expect(mail.text).toContain(`\n${action}\n`);
      for (const href of links) expect(href.startsWith('https://atrium.example/app')).toBe(true);
    });

    const required = Object.keys(SAMPLES[template]).filter((name) => !OPTIONAL[template]?.includes(name));
    it.each(required)('refuses to render without %s instead of leaving a blank', (name) => {
      const variables: Record<string, unknown> = { ...SAMPLES[template] };
      delete variables[name];
      expect(() => renderer.render(template, variables as never)).toThrow(InvalidMailError);
      expect(() => renderer.render(template, variables as never)).toThrow(new RegExp(template));
    });
  });

  describe('content', () => {
    it('tells how long a verification link stays valid, in words', () => {
      expect(renderSample(renderer, 'verify-email').text).toContain('This link expires in 24 hours.');
      expect(renderSample(renderer, 'verify-email', { expiresInHours: 1 }).html).toContain('expires in 1 hour.');
      expect(renderSample(renderer, 'reset-password').text).toContain('This link expires in 60 minutes');
    });

    it('writes times as a readable UTC date', () => {
      const mail = renderSample(renderer, 'new-sign-in');
      expect(mail.text).toContain('When:       Tuesday, 4 March 2025 at 14:05 UTC');
      expect(mail.html).toContain(
        '<dd style="margin:0 0 8px 0;word-break:break-word;">Tuesday, 4 March 2025 at 14:05 UTC</dd>',
      );
      expect(mail.text).toContain('Device:     Firefox on Linux');
    });

    it('refuses a time that is not ISO-8601', () => {
      expect(() => renderSample(renderer, 'password-changed', { changedAt: 'yesterday' })).toThrow(/ISO-8601/);
    });

    it('puts variables into the subject', () => {
      expect(renderSample(renderer, 'comment-awaiting-moderation').subject).toBe(
        'New comment awaiting moderation on "Gardens in winter"',
      );
      expect(renderSample(renderer, 'comment-approved').subject).toBe(
        'Your comment on "Gardens in winter" was approved',
      );
    });

    it('keeps the subject on one line whatever the title holds', () => {
      const mail = renderSample(renderer, 'comment-approved', { postTitle: 'Line one\r\nBcc: victim@example.com' });
      expect(mail.subject).toBe('Your comment on "Line one Bcc: victim@example.com" was approved');
    });

    it('mentions the IP address and offers a reset only when the caller passes them', () => {
      const full = renderSample(renderer, 'password-changed');
      expect(full.text).toContain('from the IP address 203.0.113.9.');
      expect(hrefs(full.html)).toContain(SAMPLES['password-changed'].resetUrl);

      const bare = renderer.render('password-changed', { username: 'ada', changedAt: '2025-03-04T14:05:00.000Z' });
      expect(bare.text).toContain('was changed on Tuesday, 4 March 2025 at 14:05 UTC.\n');
      expect(bare.text).not.toContain('IP address');
      expect(bare.html).not.toContain('If the button does not work');
      expect(bare.text).toContain('Reset it now from the sign-in page');
      expect(hrefs(bare.html)).toEqual(['https://atrium.example/app']);
    });

    it('keeps the line breaks of a comment excerpt visible in HTML', () => {
      const mail = renderSample(renderer, 'comment-awaiting-moderation', { commentExcerpt: 'First line\nSecond line' });
      expect(mail.html).toMatch(
        /<blockquote style="[^"]*white-space:pre-line;[^"]*">First line\nSecond line<\/blockquote>/,
      );
      expect(mail.text).toContain('\nFirst line\nSecond line\n');
    });
  });

  describe('escaping', () => {
    const evil = '<script>alert("x")</script> & Co';

    it('escapes user data in HTML, including the title and the preview text', () => {
      const mail = renderSample(renderer, 'comment-awaiting-moderation', {
        authorName: evil,
        postTitle: '<img src=x onerror=alert(1)>',
        commentExcerpt: '</blockquote><a href="https://evil.example">click</a>',
      });
      expect(mail.html).not.toContain('<script>');
      expect(mail.html).not.toContain('<img');
      expect(mail.html).not.toContain('evil.example">');
      expect(mail.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co commented on');
      expect(mail.html).toContain('<title>New comment awaiting moderation on &quot;&lt;img src&#x3D;x');
      expect(hrefs(mail.html).every((href) => href.startsWith('https://atrium.example/app'))).toBe(true);
    });

    it('shows a username such as <script> as text', () => {
      const mail = renderSample(renderer, 'verify-email', { username: '<script>' });
      expect(mail.html).toContain('Hi &lt;script&gt;,');
      expect(mail.html).not.toContain('<script>');
    });

    it('leaves the text part and the subject unescaped, as a reader expects them', () => {
      const mail = renderSample(renderer, 'comment-awaiting-moderation', { authorName: evil, postTitle: 'Q&A <live>' });
      expect(mail.text).toContain(`${evil} commented on "Q&A <live>":`);
      expect(mail.subject).toBe('New comment awaiting moderation on "Q&A <live>"');
    });

    it('encodes a link so its query survives the HTML attribute', () => {
      const mail = renderSample(renderer, 'verify-email');
      const href = hrefs(mail.html).find((h) => h.includes('verify-email'));
      expect(href).toBeDefined();
      const url = new URL(href as string);
      expect(url.searchParams.get('token')).toBe('tok-verify');
      expect(url.searchParams.get('email')).toBe('ada+1@example.com');
    });
  });

  describe('links', () => {
    it.each([
      ['another site', 'https://evil.example/app/verify-email?token=t'],
      ['a relative path', '/verify-email?token=t'],
      ['a script URL', 'javascript:alert(1)'],
      ['another scheme on the same host', 'ftp://atrium.example/app/verify-email'],
    ])('refuses %s as a link, so a mail never points outside APP_URL', (_, verifyUrl) => {
      expect(() => renderSample(renderer, 'verify-email', { verifyUrl })).toThrow(InvalidMailError);
      expect(() => renderSample(renderer, 'verify-email', { verifyUrl })).toThrow(
        /absolute link into https:\/\/atrium\.example/,
      );
    });

    it('names the call-to-action link of each mail, for the outbox log', () => {
      for (const template of MAIL_TEMPLATES) {
        expect(renderer.actionLink(template, SAMPLES[template])).toBe(
          SAMPLES[template][ACTION_LINK[template] as never],
        );
      }
      expect(
        renderer.actionLink('password-changed', { username: 'a', changedAt: '2025-03-04T14:05:00Z' }),
      ).toBeUndefined();
    });
  });

  describe('payloads from the queue', () => {
    it('refuses an unknown template as a permanent failure', () => {
      let error: unknown;
      try {
        renderer.render('welcome-back' as MailTemplate, {} as never);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(InvalidMailError);
      expect((error as Error).message).toBe('Unknown mail template "welcome-back"');
      expect(isPermanentMailError(error)).toBe(true);
    });

    it('refuses variables that are not an object', () => {
      expect(() => renderer.render('verify-email', null as never)).toThrow(/needs an object of variables/);
    });

    it('renders a job that went through JSON the same as the original', () => {
      const job = JSON.parse(JSON.stringify({ template: 'new-sign-in', variables: SAMPLES['new-sign-in'] }));
      expect(renderer.render(job.template, job.variables)).toEqual(renderSample(renderer, 'new-sign-in'));
    });
  });
});
