import { appLink, isMailTemplate, MAIL_TEMPLATES } from './mail.types';

describe('appLink', () => {
  const config = { appUrl: 'https://atrium.example' };

  it('builds an absolute link below APP_URL with an encoded query', () => {
    const url = appLink(config, '/verify-email', { token: 'a b&c=d/e', email: 'ada+1@example.com' });
    expect(url).toBe('https://atrium.example/verify-email?token=a+b%26c%3Dd%2Fe&email=ada%2B1%40example.com');
    const parsed = new URL(url);
    expect(parsed.searchParams.get('token')).toBe('a b&c=d/e');
    expect(parsed.searchParams.get('email')).toBe('ada+1@example.com');
  });

  it('keeps the base path of APP_URL, with or without a trailing slash', () => {
    expect(appLink({ appUrl: 'https://example.com/atrium' }, '/reset-password')).toBe(
      'https://example.com/atrium/reset-password',
    );
    expect(appLink({ appUrl: 'https://example.com/atrium/' }, '/reset-password')).toBe(
      'https://example.com/atrium/reset-password',
    );
    expect(appLink({ appUrl: 'http://localhost:3000' }, '/')).toBe('http://localhost:3000/');
  });

  it('leaves out query values that are undefined and writes numbers as they are', () => {
    expect(appLink(config, '/posts', { page: 2, tag: undefined })).toBe('https://atrium.example/posts?page=2');
  });

  it('percent-encodes a path segment instead of letting it change the URL', () => {
    expect(appLink(config, '/tags/caf\u00e9 au lait')).toBe('https://atrium.example/tags/caf%C3%A9%20au%20lait');
  });

  it.each([
    'https://evil.example/verify',
    '//evil.example/verify',
    '/\\evil.example',
    'verify-email',
    '/a/../admin',
    '/./x',
    '/verify?token=x',
    '/posts#top',
  ])('refuses %s, which could point somewhere the caller did not mean', (path) => {
    expect(() => appLink(config, path)).toThrow(/appLink needs a path inside the app/);
  });
});

describe('isMailTemplate', () => {
  it('accepts every template name and nothing else', () => {
    for (const name of MAIL_TEMPLATES) expect(isMailTemplate(name)).toBe(true);
    expect(isMailTemplate('verify_email')).toBe(false);
    expect(isMailTemplate('toString')).toBe(false);
    expect(isMailTemplate(undefined)).toBe(false);
  });
});
