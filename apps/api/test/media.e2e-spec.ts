import { SystemRole } from '@atrium/contracts';
import sharp from 'sharp';
import type { AtriumApp } from '../src/bootstrap';
import { type Actor, actors } from './support/actors';
import { expectError, file } from './support/avatars';
import { unique } from './support/factories';
import { startTestApp, TestResources } from './support/test-app';

interface Media {
  id: string;
  url: string;
  srcset: string;
  width: number;
  height: number;
  altText: string | null;
  variants: Array<{ url: string; width: number; height: number; bytes: number }>;
  usedBy: number;
  markdown: string;
}

/** A JPEG photo `width`×`height` with EXIF (camera, GPS) in it, as phones write them. */
const photo = (width: number, height: number, orientation = 1): Promise<Buffer> =>
  sharp({ create: { width, height, channels: 3, background: { r: 40, g: 90, b: 160 } } })
    .jpeg()
    .withMetadata({
      orientation,
      exif: {
        IFD0: { Make: 'PhoneCo', Model: 'Pocket 9' },
        IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1' },
      },
    })
    .toBuffer();

/**
 * The media library over HTTP on real Postgres and disk: uploads re-encoded to WebP variants
 * without metadata, alt text, use in posts (srcset, size and alt in the HTML; cover), the
 * accessibility refusal for an image without alt text, captions as figures, the editor's preview,
 * deletion refused while used, ownership.
 */
describe('media library', () => {
  const resources = new TestResources();
  let atrium: AtriumApp;
  const { call, asRole, signedIn } = actors(() => atrium);
  let author: Actor;
  let editor: Actor;

  beforeAll(async () => {
    await resources.create();
    atrium = await startTestApp(resources);
    author = await asRole(SystemRole.AUTHOR);
    editor = await asRole(SystemRole.EDITOR);
  });

  afterAll(async () => {
    await atrium?.close();
    await resources.drop();
  });

  const upload = (token: string, data: Buffer) =>
    call('POST', '/api/v1/media', { token, multipart: [file(data, 'photo.jpg', 'image/jpeg')] });
  const uploaded = async (token: string, data: Buffer): Promise<Media> => {
    const res = await upload(token, data);
    expect({ status: res.statusCode, body: res.statusCode === 201 ? '' : res.body }).toEqual({ status: 201, body: '' });
    return res.json().data as Media;
  };

  it('stores an upload as WebP at a few widths, upright, never enlarged, with no metadata left', async () => {
    const media = await uploaded(author.token, await photo(2400, 1600));
    expect(media.variants.map((v) => [v.width, v.height])).toEqual([
      [480, 320],
      [960, 640],
      [1600, 1067],
    ]);
    expect([media.width, media.height]).toEqual([1600, 1067]);
    expect(media.srcset).toBe(media.variants.map((v) => `${v.url} ${v.width}w`).join(', '));
    expect(media.altText).toBeNull();
    const served = await call('GET', media.url);
    expect(served.statusCode).toBe(200);
    expect(served.headers['content-type']).toBe('image/webp');
    expect(served.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const meta = await sharp(served.rawPayload).metadata();
    expect({ format: meta.format, width: meta.width, exif: meta.exif, icc: meta.icc }).toEqual({
      format: 'webp',
      width: 1600,
      exif: undefined,
      icc: undefined,
    });

    // A small picture is kept at its own size; a phone photo on its side is stored upright.
    const small = await uploaded(author.token, await photo(300, 200));
    expect(small.variants.map((v) => v.width)).toEqual([300]);
    const sideways = await uploaded(author.token, await photo(1200, 800, 6));
    expect([sideways.width, sideways.height]).toEqual([800, 1200]);
  });

  it('refuses what is not a PNG, JPEG or WebP image, and an empty body', async () => {
    const svg = await call('POST', '/api/v1/media', {
      token: author.token,
      multipart: [
        file('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', 'x.png', 'image/png'),
      ],
    });
    expectError(svg, 415, 'UNSUPPORTED_MEDIA_TYPE');
    expectError(await upload(author.token, Buffer.alloc(0)), 400, 'VALIDATION_ERROR');
    // Readers may not upload.
    const reader = await signedIn();
    expect((await upload(reader.token, await photo(100, 100))).statusCode).toBe(403);
  });

  it('puts images in posts by id with srcset, size and alt text, and refuses to publish one without alt text', async () => {
    const media = await uploaded(author.token, await photo(1000, 500));
    const made = await call('POST', '/api/v1/posts', {
      token: author.token,
      body: { title: unique('Pictured'), body: `## Harbour\n\n![](media:${media.id})`, coverMediaId: media.id },
    });
    expect(made.statusCode).toBe(201);
    const post = made.json().data as { id: string; html: string; cover: { id: string; altText: string | null } };
    expect(post.html).toContain(`srcset="${media.srcset}"`);
    expect(post.html).toContain('width="1000" height="500"');
    expect(post.cover).toMatchObject({ id: media.id, altText: null, url: media.url });

    const refused = await call('POST', `/api/v1/posts/${post.id}/publish`, { token: author.token });
    expect(refused.statusCode).toBe(422);
    const codes = (refused.json().error.details as Array<{ code: string; message: string }>).map((d) => d.code);
    expect(codes).toEqual(['IMAGE_WITHOUT_ALT', 'IMAGE_WITHOUT_ALT']);
    expect(refused.json().error.details[0].message).toMatch(/cover image has no alt text/);

    // Alt text in the library reaches the post's HTML at once, and publishing goes through.
    const described = await call('PATCH', `/api/v1/media/${media.id}`, {
      token: author.token,
      body: { altText: 'Boats "moored" in the harbour at dawn' },
    });
    expect(described.json().data.markdown).toBe(`![Boats "moored" in the harbour at dawn](media:${media.id})`);
    const reread = (await call('GET', `/api/v1/posts/${post.id}`, { token: author.token })).json().data;
    expect(reread.html).toContain('alt="Boats &quot;moored&quot; in the harbour at dawn"');
    expect(reread.cover.altText).toBe('Boats "moored" in the harbour at dawn');
    expect((await call('POST', `/api/v1/posts/${post.id}/publish`, { token: author.token })).statusCode).toBe(200);

    // Alt text written in the Markdown gives way to the library's, so a later edit there reaches the post.
    await call('PATCH', `/api/v1/posts/${post.id}`, {
      token: author.token,
      body: { body: `## Harbour\n\n![Boats](media:${media.id})` },
    });
    await call('PATCH', `/api/v1/media/${media.id}`, { token: author.token, body: { altText: 'Boats at dusk' } });
    expect((await call('GET', `/api/v1/posts/${post.id}`)).json().data.html).toContain('alt="Boats at dusk"');

    // An id that names no image is refused, and nothing is written.
    const ghost = await call('PATCH', `/api/v1/posts/${post.id}`, {
      token: author.token,
      body: { body: '![x](media:0190a000-0000-7000-8000-0000000000ff)' },
    });
    expect(ghost.statusCode).toBe(400);
    expect(ghost.json().error.details[0].code).toBe('UNKNOWN_MEDIA');

    // In use: deletion is refused, unless forced; the cover goes with the image.
    expect((await call('GET', `/api/v1/media/${media.id}`, { token: author.token })).json().data.usedBy).toBe(1);
    expectError(await call('DELETE', `/api/v1/media/${media.id}`, { token: author.token }), 409, 'CONFLICT');
    expect(
      (await call('DELETE', `/api/v1/media/${media.id}`, { token: author.token, query: { force: 'true' } })).statusCode,
    ).toBe(200);
    expect((await call('GET', media.url)).statusCode).toBe(404);
    expect((await call('GET', `/api/v1/posts/${post.id}`)).json().data.cover).toBeNull();
  });

  it('shows a captioned image as a figure with its caption, and the new caption once the library has it', async () => {
    const media = await uploaded(author.token, await photo(800, 600));
    await call('PATCH', `/api/v1/media/${media.id}`, {
      token: author.token,
      body: { altText: 'Gulls over the pier', caption: 'The pier <at> noon & the gulls' },
    });
    const made = await call('POST', '/api/v1/posts', {
      token: author.token,
      body: { title: unique('Captioned'), body: `Gulls everywhere.\n\n![gulls](media:${media.id})\n\nThe end.` },
    });
    expect(made.statusCode).toBe(201);
    const post = made.json().data as { id: string; excerpt: string };
    // The caption is the library's words, not the post's: the excerpt is the post's text alone.
    expect(post.excerpt).toBe('Gulls everywhere. The end.');
    expect((await call('POST', `/api/v1/posts/${post.id}/publish`, { token: author.token })).statusCode).toBe(200);
    const figure = (html: string) => /<figure><img [^>]*><figcaption>([^<]*)<\/figcaption><\/figure>/.exec(html)?.[1];
    // Read by an anonymous reader (the public cache too), before and after the caption changes.
    expect(figure((await call('GET', `/api/v1/posts/${post.id}`)).json().data.html)).toBe(
      'The pier &lt;at&gt; noon &amp; the gulls',
    );

    const edited = await call('PATCH', `/api/v1/media/${media.id}`, {
      token: author.token,
      body: { caption: 'The pier at dusk' },
    });
    expect(edited.statusCode).toBe(200);
    const reread = (await call('GET', `/api/v1/posts/${post.id}`)).json().data as { html: string };
    expect(figure(reread.html)).toBe('The pier at dusk');
    expect(reread.html).not.toMatch(/<p>\s*<figure/);

    // Without a caption the image is a plain one in its paragraph again.
    await call('PATCH', `/api/v1/media/${media.id}`, { token: author.token, body: { caption: '' } });
    const plain = (await call('GET', `/api/v1/posts/${post.id}`)).json().data as { html: string };
    expect(plain.html).not.toContain('<figure>');
    expect(plain.html).toMatch(/<p><img [^>]*alt="Gulls over the pier"[^>]*><\/p>/);
  });

  it('previews a body as saving would render it for the caller, writing nothing (POST /posts/preview)', async () => {
    const media = await uploaded(author.token, await photo(640, 480));
    await call('PATCH', `/api/v1/media/${media.id}`, { token: author.token, body: { caption: 'A quiet quay' } });
    const body = `## Quay\n\nRead [the tides](https://example.com/tides).\n\n![](media:${media.id})`;
    const mine = async () =>
      (await call('GET', '/api/v1/me/posts', { token: author.token })).json().meta.pagination.totalItems as number;
    const postsBefore = await mine();

    const res = await call('POST', '/api/v1/posts/preview', { token: author.token, body: { body } });
    expect(res.statusCode).toBe(200);
    const preview = res.json().data as {
      html: string;
      readingTimeMinutes: number;
      readingLevel: number | null;
      accessibility: { ok: boolean; problems: Array<{ code: string }> };
    };
    expect(preview.html).toContain('<h2>Quay</h2>');
    expect(preview.html).toContain('rel="noopener nofollow ugc"');
    expect(preview.html).toContain(`srcset="${media.srcset}"`);
    expect(preview.html).toMatch(/<figure><img [^>]*><figcaption>A quiet quay<\/figcaption><\/figure>/);
    expect(preview.readingTimeMinutes).toBe(1);
    // The image has no alt text yet: publishing would be refused, and the preview says so.
    expect(preview.accessibility).toEqual({
      ok: false,
      problems: [expect.objectContaining({ code: 'IMAGE_WITHOUT_ALT' })],
    });

    // Exactly what a save stores.
    const saved = await call('POST', '/api/v1/posts', { token: author.token, body: { title: unique('Quay'), body } });
    expect(saved.json().data.html).toBe(preview.html);
    expect(saved.json().data.readingLevel).toBe(preview.readingLevel);
    // An editor's links are the site's: no nofollow ugc.
    const staff = await call('POST', '/api/v1/posts/preview', { token: editor.token, body: { body } });
    expect(staff.json().data.html).toContain('<a href="https://example.com/tides" rel="noopener">');
    // A cover without alt text is reported as publishing would.
    const covered = await call('POST', '/api/v1/posts/preview', {
      token: author.token,
      body: { body: 'Text only.', coverMediaId: media.id },
    });
    expect(covered.json().data.accessibility.problems.map((p: { code: string }) => p.code)).toEqual([
      'IMAGE_WITHOUT_ALT',
    ]);

    // Nothing was written by the previews: one post more (the save), the image shown by that one only.
    expect(await mine()).toBe(postsBefore + 1);
    expect((await call('GET', `/api/v1/media/${media.id}`, { token: author.token })).json().data.usedBy).toBe(1);

    // As a save: an unknown image is a 400, the body's limit holds; only those who may write posts may preview.
    const ghost = await call('POST', '/api/v1/posts/preview', {
      token: author.token,
      body: { body: '![x](media:0190a000-0000-7000-8000-0000000000ff)' },
    });
    expectError(ghost, 400, 'VALIDATION_ERROR');
    expect(ghost.json().error.details[0].code).toBe('UNKNOWN_MEDIA');
    expectError(
      await call('POST', '/api/v1/posts/preview', { token: author.token, body: { body: 'x'.repeat(100_001) } }),
      400,
      'VALIDATION_ERROR',
    );
    expectError(await call('POST', '/api/v1/posts/preview', { body: { body } }), 401, 'UNAUTHENTICATED');
    const reader = await signedIn();
    expectError(await call('POST', '/api/v1/posts/preview', { token: reader.token, body: { body } }), 403, 'FORBIDDEN');
  });

  it("lists one's own images; editors see and manage everyone's; others' are not found", async () => {
    const mine = await uploaded(author.token, await photo(200, 200));
    const other = await asRole(SystemRole.AUTHOR);
    const theirs = await uploaded(other.token, await photo(200, 200));
    const listed = await call('GET', '/api/v1/media', { token: other.token, query: { perPage: '100' } });
    const ids = (listed.json().data as Media[]).map((m) => m.id);
    expect(ids).toContain(theirs.id);
    expect(ids).not.toContain(mine.id);
    expect((await call('GET', `/api/v1/media/${mine.id}`, { token: other.token })).statusCode).toBe(404);
    expect(
      (await call('PATCH', `/api/v1/media/${mine.id}`, { token: other.token, body: { altText: 'x' } })).statusCode,
    ).toBe(404);

    const all = await call('GET', '/api/v1/media', { token: editor.token, query: { perPage: '100' } });
    expect((all.json().data as Media[]).map((m) => m.id)).toEqual(expect.arrayContaining([mine.id, theirs.id]));
    expect((await call('DELETE', `/api/v1/media/${theirs.id}`, { token: editor.token })).statusCode).toBe(200);
  });
});
