import { SystemRole } from '@atrium/contracts';
import { strFromU8, unzipSync } from 'fflate';
import sharp from 'sharp';
import { DataSource } from 'typeorm';
import type { AtriumApp } from '../src/bootstrap';
import { ExportsService } from '../src/modules/exports/exports.service';
import { type Actor, actors } from './support/actors';
import { file } from './support/avatars';
import { unique } from './support/factories';
import { startTestApp, TestResources } from './support/test-app';
import { waitFor } from './support/wait-for';

interface DataExport {
  id: string;
  status: string;
  progress: number;
  downloadUrl: string | null;
  expiresAt: string | null;
  bytes: number | null;
}

/**
 * Data exports on real Postgres and disk: the job reports progress up to 100, the zip holds the
 * user's profile, posts (Markdown and HTML), comments and images, the signed link downloads it and
 * nothing else, and a mail is on its way.
 */
describe('data exports', () => {
  const resources = new TestResources();
  let atrium: AtriumApp;
  const { call, asRole, signedIn } = actors(() => atrium);
  const sql = <T>(text: string, values: unknown[] = []): Promise<T[]> => atrium.app.get(DataSource).query(text, values);
  let author: Actor;

  beforeAll(async () => {
    await resources.create();
    atrium = await startTestApp(resources, { COMMENT_MODERATION: 'none' });
    author = await asRole(SystemRole.AUTHOR);
  });

  afterAll(async () => {
    await atrium?.close();
    await resources.drop();
  });

  const exportOf = async (token: string, id: string): Promise<DataExport> => {
    const res = await call('GET', `/api/v1/me/exports/${id}`, { token });
    expect(res.statusCode).toBe(200);
    return res.json().data as DataExport;
  };

  it("builds a zip of the user's data with progress to 100, downloadable through its signed link", async () => {
    const image = await sharp({ create: { width: 640, height: 400, channels: 3, background: '#3a6' } })
      .png()
      .toBuffer();
    const media = (
      await call('POST', '/api/v1/media', { token: author.token, multipart: [file(image, 'garden.png', 'image/png')] })
    ).json().data as { id: string };
    const titles = [unique('Gardens in winter'), unique('Tides')];
    const slugs: string[] = [];
    for (const title of titles) {
      const made = await call('POST', '/api/v1/posts', {
        token: author.token,
        body: { title, body: `## Notes\n\nWritten by hand.\n\n![A green square](media:${media.id})` },
      });
      slugs.push(made.json().data.slug as string);
      await call('POST', `/api/v1/posts/${made.json().data.id}/publish`, { token: author.token });
    }
    const postId = (await call('GET', `/api/v1/posts/${slugs[0]}`)).json().data.id as string;
    await call('POST', `/api/v1/posts/${postId}/comments`, {
      token: author.token,
      body: { body: 'Thanks for reading!' },
    });

    const started = await call('POST', '/api/v1/me/exports', { token: author.token });
    expect(started.statusCode).toBe(202);
    const queued = started.json().data as DataExport;
    expect(queued).toMatchObject({ status: 'queued', progress: 0, downloadUrl: null });
    // Asking again while it is being built answers the same export.
    expect((await call('POST', '/api/v1/me/exports', { token: author.token })).json().data.id).toBe(queued.id);

    // The worker's job (run here in the test's process) reports as it goes.
    const seen = new Set<number>();
    const build = atrium.app.get(ExportsService).build(queued.id);
    const watch = (async () => {
      for (let i = 0; i < 200 && !seen.has(100); i++) {
        seen.add((await exportOf(author.token, queued.id)).progress);
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    await build;
    await watch;
    const done = await exportOf(author.token, queued.id);
    expect(done).toMatchObject({ status: 'done', progress: 100 });
    expect(Date.parse(done.expiresAt!) - Date.now()).toBeGreaterThan(23 * 3600_000);
    expect([...seen].every((p) => p >= 0 && p <= 100)).toBe(true);

    const download = await call('GET', done.downloadUrl!);
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('application/zip');
    expect(download.headers['content-disposition']).toMatch(
      /^attachment; filename="atrium-export-\d{4}-\d{2}-\d{2}\.zip"$/,
    );
    expect(Number(download.headers['content-length'])).toBe(done.bytes);
    const zip = unzipSync(new Uint8Array(download.rawPayload));
    const names = Object.keys(zip).sort();
    expect(names).toEqual(
      expect.arrayContaining([
        'profile.json',
        'comments.json',
        'media.json',
        ...slugs.flatMap((slug) => [`posts/${slug}.md`, `posts/${slug}.html`]),
        `media/${media.id}-640.webp`,
      ]),
    );
    expect(JSON.parse(strFromU8(zip['profile.json']))).toMatchObject({ id: author.id, email: author.email });
    const markdown = strFromU8(zip[`posts/${slugs[0]}.md`]);
    expect(markdown).toContain(`title: ${JSON.stringify(titles[0])}`);
    expect(markdown).toContain('Written by hand.');
    expect(strFromU8(zip[`posts/${slugs[0]}.html`])).toContain('<h2>Notes</h2>');
    expect(JSON.parse(strFromU8(zip['comments.json']))).toEqual([
      expect.objectContaining({ body_markdown: 'Thanks for reading!', post_title: titles[0] }),
    ]);
    expect((await sharp(Buffer.from(zip[`media/${media.id}-640.webp`])).metadata()).format).toBe('webp');

    // A mail says it is ready.
    await waitFor(
      () =>
        sql<{ job_id: string }>(`SELECT job_id FROM outbox_events WHERE job_id = $1`, [`export-ready:${queued.id}`]),
      (rows) => rows.length === 1,
    );
  });

  it('downloads only through an untouched, unexpired link, and shows an export to its owner only', async () => {
    const owner = await signedIn();
    const id = (await call('POST', '/api/v1/me/exports', { token: owner.token })).json().data.id as string;
    await atrium.app.get(ExportsService).build(id);
    const { downloadUrl } = await exportOf(owner.token, id);
    expect((await call('GET', downloadUrl!)).statusCode).toBe(200);

    const url = new URL(downloadUrl!, 'http://x');
    const token = url.searchParams.get('token')!;
    const flipped = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    expect((await call('GET', `${url.pathname}?token=${flipped}`)).statusCode).toBe(404);
    expect((await call('GET', url.pathname)).statusCode).toBe(404);

    const stranger = await signedIn();
    expect((await call('GET', `/api/v1/me/exports/${id}`, { token: stranger.token })).statusCode).toBe(404);
    expect((await call('GET', '/api/v1/me/exports', { token: stranger.token })).json().data).toEqual([]);

    // Past its day, the link is dead, the listing says so, and the daily cleanup removes the file.
    await sql(`UPDATE data_exports SET expires_at = now() - interval '1 minute' WHERE id = $1`, [id]);
    expect((await call('GET', downloadUrl!)).statusCode).toBe(404);
    expect((await exportOf(owner.token, id)).downloadUrl).toBeNull();
    expect(await atrium.app.get(ExportsService).cleanup()).toBeGreaterThanOrEqual(1);
  });
});
