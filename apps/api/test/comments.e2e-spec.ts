import { SystemRole } from '@atrium/contracts';
import { DataSource } from 'typeorm';
import type { AtriumApp } from '../src/bootstrap';
import { CommentMailJob } from '../src/modules/comments/comment-mail.job';
import { type Actor, actors } from './support/actors';
import { unique } from './support/factories';
import { startTestApp, TestResources } from './support/test-app';
import { waitFor } from './support/wait-for';

interface CommentNode {
  id: string;
  parentId: string | null;
  depth: number;
  status: 'pending' | 'approved' | 'rejected';
  deleted: boolean;
  body: string | null;
  html: string | null;
  author: { id: string; username: string } | null;
  replies: CommentNode[];
}

/**
 * Comments over HTTP on a real database: threads and their order and depth, moderation under each
 * COMMENT_MODERATION policy, the edit window, deletion that keeps replies, closed comments, the
 * post's comment count, and the mails moderation sends. Every response is checked against the spec.
 */
describe('comments', () => {
  const resources = new TestResources();
  let atrium: AtriumApp;
  const { call, signedIn, asRole } = actors(() => atrium);
  const sql = <T>(text: string, values: unknown[] = []): Promise<T[]> => atrium.app.get(DataSource).query(text, values);

  let author: Actor;
  let editor: Actor;

  const start = async (env: Record<string, string> = {}) => {
    await atrium?.close();
    atrium = await startTestApp(resources, { AUTH_THROTTLE_LIMIT: '1000', ...env });
  };

  beforeAll(async () => {
    await resources.create();
    await start({ COMMENT_MODERATION: 'none' });
    author = await asRole(SystemRole.AUTHOR);
    editor = await asRole(SystemRole.EDITOR);
  });

  afterAll(async () => {
    await atrium?.close();
    await resources.drop();
  });

  const newPost = async (body: Record<string, unknown> = {}): Promise<string> => {
    const res = await call('POST', '/api/v1/posts', {
      token: author.token,
      body: { title: unique('Post'), body: 'Something to talk about.', ...body },
    });
    expect(res.statusCode).toBe(201);
    const id = res.json().data.id as string;
    expect((await call('POST', `/api/v1/posts/${id}/publish`, { token: author.token })).statusCode).toBe(200);
    return id;
  };
  const comment = async (by: Actor, postId: string, body: string, parentId?: string) => {
    const res = await call('POST', `/api/v1/posts/${postId}/comments`, { token: by.token, body: { body, parentId } });
    return res;
  };
  const posted = async (by: Actor, postId: string, body: string, parentId?: string): Promise<CommentNode> => {
    const res = await comment(by, postId, body, parentId);
    expect({ status: res.statusCode, body: res.statusCode === 201 ? '' : res.body }).toEqual({ status: 201, body: '' });
    return res.json().data as CommentNode;
  };
  const threads = async (postId: string, token?: string, query: Record<string, string> = {}) => {
    const res = await call('GET', `/api/v1/posts/${postId}/comments`, { token, query });
    expect(res.statusCode).toBe(200);
    return res.json<{ data: CommentNode[]; meta: { cursor: { next: string | null } } }>();
  };
  const commentCount = async (postId: string): Promise<number> =>
    (await call('GET', `/api/v1/posts/${postId}`)).json().data.commentCount as number;

  it('threads replies under their comments, oldest first, five levels deep at most, with sanitized HTML', async () => {
    const postId = await newPost();
    const reader = await signedIn();
    const first = await posted(reader, postId, 'First! <script>alert(1)</script> **bold** [link](javascript:alert(1))');
    expect(first.html).toContain('<strong>bold</strong>');
    expect(first.html).not.toMatch(/<script|alert\(1\)<\/|href="javascript/);
    const second = await posted(reader, postId, 'Second thread');
    let parent = first;
    for (let depth = 1; depth <= 4; depth++) parent = await posted(reader, postId, `depth ${depth}`, parent.id);
    const tooDeep = await comment(reader, postId, 'depth 5', parent.id);
    expect({ status: tooDeep.statusCode, code: tooDeep.json().error.details[0].code }).toEqual({
      status: 409,
      code: 'TOO_DEEP',
    });

    const { data } = await threads(postId);
    expect(data.map((t) => t.id)).toEqual([first.id, second.id]);
    const chain: number[] = [];
    for (let node: CommentNode | undefined = data[0]; node; node = node.replies[0]) chain.push(node.depth);
    expect(chain).toEqual([0, 1, 2, 3, 4]);
    expect(await commentCount(postId)).toBe(6);

    // Keyset pages of threads.
    const page1 = await threads(postId, undefined, { limit: '1' });
    expect(page1.data.map((t) => t.id)).toEqual([first.id]);
    const page2 = await threads(postId, undefined, { limit: '1', cursor: page1.meta.cursor.next! });
    expect(page2.data.map((t) => t.id)).toEqual([second.id]);
    expect(page2.meta.cursor.next).toBeNull();
  });

  it('keeps a deleted comment with replies in its thread as deleted, and drops one without', async () => {
    const postId = await newPost();
    const a = await signedIn();
    const b = await signedIn();
    const top = await posted(a, postId, 'Top');
    await posted(b, postId, 'Reply', top.id);
    const lonely = await posted(a, postId, 'Alone');
    expect((await call('DELETE', `/api/v1/comments/${top.id}`, { token: a.token })).statusCode).toBe(200);
    expect((await call('DELETE', `/api/v1/comments/${lonely.id}`, { token: a.token })).statusCode).toBe(200);
    // Someone else's comment is not theirs to delete.
    const other = await posted(b, postId, 'Mine');
    expect((await call('DELETE', `/api/v1/comments/${other.id}`, { token: a.token })).statusCode).toBe(403);

    const { data } = await threads(postId);
    expect(
      data.map((t) => ({ deleted: t.deleted, body: t.body, author: t.author, replies: t.replies.length })),
    ).toEqual([
      { deleted: true, body: null, author: null, replies: 1 },
      { deleted: false, body: 'Mine', author: expect.objectContaining({ id: b.id }), replies: 0 },
    ]);
    expect(await commentCount(postId)).toBe(2);
  });

  it('lets authors edit within the window only, moderators any time', async () => {
    await start({ COMMENT_MODERATION: 'none', COMMENT_EDIT_WINDOW_MINUTES: '1' });
    const postId = await newPost();
    const reader = await signedIn();
    const mine = (await posted(reader, postId, 'Tpyo')) as CommentNode & { createdAt: string; editableUntil: string };
    // The client learns until when the author may edit it.
    expect(Date.parse(mine.editableUntil) - Date.parse(mine.createdAt)).toBe(60_000);
    const edited = await call('PATCH', `/api/v1/comments/${mine.id}`, { token: reader.token, body: { body: 'Typo' } });
    expect(edited.statusCode).toBe(200);
    expect(edited.json().data).toMatchObject({ body: 'Typo', html: '<p>Typo</p>', editedAt: expect.any(String) });
    await sql(`UPDATE comments SET created_at = now() - interval '2 minutes' WHERE id = $1`, [mine.id]);
    const late = await call('PATCH', `/api/v1/comments/${mine.id}`, { token: reader.token, body: { body: 'Late' } });
    expect({ status: late.statusCode, code: late.json().error.details[0].code }).toEqual({
      status: 409,
      code: 'EDIT_WINDOW_CLOSED',
    });
    const byEditor = await call('PATCH', `/api/v1/comments/${mine.id}`, {
      token: editor.token,
      body: { body: 'Tidied' },
    });
    expect(byEditor.statusCode).toBe(200);
    const stranger = await signedIn();
    const theirs = await call('PATCH', `/api/v1/comments/${mine.id}`, {
      token: stranger.token,
      body: { body: 'Hijack' },
    });
    expect(theirs.statusCode).toBe(403);
  });

  it('holds a first comment for moderation under "first", then trusts the commenter; mails moderators and, on approval, the commenter', async () => {
    await start({ COMMENT_MODERATION: 'first' });
    const postId = await newPost();
    const newcomer = await signedIn();
    const held = await posted(newcomer, postId, 'Hello, first time here');
    expect(held.status).toBe('pending');
    // Others do not see it; its author does; the count waits.
    expect((await threads(postId)).data).toEqual([]);
    expect((await threads(postId, newcomer.token)).data.map((t) => [t.id, t.status])).toEqual([[held.id, 'pending']]);
    expect(await commentCount(postId)).toBe(0);
    await waitFor(
      () =>
        sql<{ job_id: string }>(`SELECT job_id FROM outbox_events WHERE job_id LIKE $1`, [
          `comment-moderation:${held.id}:%`,
        ]),
      (rows) => rows.length > 0,
    );

    const queue = await call('GET', '/api/v1/comments', { token: editor.token, query: { perPage: '100' } });
    expect((queue.json().data as Array<{ id: string; postId: string }>).map((c) => c.id)).toContain(held.id);
    expect((await call('GET', '/api/v1/comments', { token: newcomer.token })).statusCode).toBe(403);

    const approved = await call('POST', `/api/v1/comments/${held.id}/approve`, { token: editor.token });
    expect(approved.json().data.status).toBe('approved');
    expect((await threads(postId)).data.map((t) => t.id)).toEqual([held.id]);
    expect(await commentCount(postId)).toBe(1);
    await waitFor(
      () =>
        sql<{ job_id: string }>(`SELECT job_id FROM outbox_events WHERE job_id = $1`, [`comment-approved:${held.id}`]),
      (rows) => rows.length === 1,
    );
    // Trusted now: the next one is approved at once.
    const again = await posted(newcomer, postId, 'Back again');
    expect(again.status).toBe('approved');
    // An editor's own comments never wait.
    expect((await posted(editor, postId, 'Moderator note')).status).toBe('approved');
    const own = await posted(author, postId, 'Thanks, all');

    // The post's author hears of each comment once everyone can read it (held: once approved), in
    // the comment mail of the digest period, and never of their own.
    const digestJobs = () =>
      sql<{ job_id: string }>(
        `SELECT job_id FROM outbox_events WHERE name = 'comments.mail-digest' AND job_id LIKE $1`,
        [`comment-digest:${author.id}:%`],
      );
    expect((await waitFor(digestJobs, (rows) => rows.length > 0)).length).toBeGreaterThan(0);
    const mail = await atrium.app.get(CommentMailJob).mailAuthor(author.id);
    expect(mail).toMatchObject({
      to: author.email,
      template: 'comments-on-your-posts',
      variables: { latestCommenterName: editor.username, latestExcerpt: 'Moderator note' },
    });
    const told = await sql<{ id: string; told: boolean }>(
      `SELECT id, author_notified_at IS NOT NULL AS told FROM comments WHERE post_id = $1 ORDER BY id`,
      [postId],
    );
    // Readable comments only: the author's own, their first, waits for a moderator like anyone's.
    expect(told.map((row) => row.told)).toEqual([true, true, true, own.status === 'approved']);
    expect(told.map((row) => row.id)).toEqual([held.id, again.id, expect.any(String), own.id]);
  });

  it("tells a post's author of comments in one mail per digest period: how many, on how many posts, the newest", async () => {
    await start({ COMMENT_MODERATION: 'all' });
    const writer = await asRole(SystemRole.AUTHOR);
    const postOf = async (title: string) => {
      const res = await call('POST', '/api/v1/posts', { token: writer.token, body: { title, body: 'Talk to me.' } });
      const { id, slug } = res.json<{ data: { id: string; slug: string } }>().data;
      expect((await call('POST', `/api/v1/posts/${id}/publish`, { token: writer.token })).statusCode).toBe(200);
      return { id, slug };
    };
    const [first, second] = [await postOf(unique('Digest one')), await postOf(unique('Digest two'))];
    const [ann, bob] = [await signedIn(), await signedIn()];
    const written = [
      await posted(ann, first.id, 'Ann on the first'),
      await posted(bob, second.id, 'Bob on the second'),
      await posted(ann, first.id, 'Ann again, newest'),
      await posted(writer, first.id, 'The writer answers'),
      await posted(bob, first.id, 'Bob, still waiting'),
    ];
    // Held comments are no one's news yet: the four readable ones are approved, the last stays pending.
    for (const held of written.slice(0, 4)) {
      expect((await call('POST', `/api/v1/comments/${held.id}/approve`, { token: editor.token })).statusCode).toBe(200);
    }
    const jobs = await waitFor(
      () =>
        sql<{ job_id: string }>(
          `SELECT job_id FROM outbox_events WHERE name = 'comments.mail-digest' AND job_id LIKE $1`,
          [`comment-digest:${writer.id}:%`],
        ),
      (rows) => rows.length > 0,
    );
    // One job for the period (two if the comments straddled its end), delayed to the period's end:
    // three comments of others made no mail of their own.
    expect(jobs.length).toBeLessThanOrEqual(2);
    expect(new Set(jobs.map((row) => row.job_id)).size).toBe(jobs.length);

    const digest = atrium.app.get(CommentMailJob);
    const mail = await digest.mailAuthor(writer.id);
    expect(mail).toEqual({
      to: writer.email,
      template: 'comments-on-your-posts',
      variables: {
        username: writer.username,
        commentCount: 3,
        postCount: 2,
        latestCommenterName: ann.username,
        latestPostTitle: expect.stringMatching(/^Digest one/),
        latestExcerpt: 'Ann again, newest',
        commentUrl: expect.stringContaining(`/posts/${first.slug}?comment=${written[2].id}`),
      },
    });
    // Told once: nothing is left for the next run.
    expect(await digest.mailAuthor(writer.id)).toBeNull();

    // The pending one, once approved, is the next period's news, in a mail of its own.
    expect((await call('POST', `/api/v1/comments/${written[4].id}/approve`, { token: editor.token })).statusCode).toBe(
      200,
    );
    expect(await digest.mailAuthor(writer.id)).toMatchObject({
      template: 'comment-on-your-post',
      variables: { commenterName: bob.username, commentExcerpt: 'Bob, still waiting' },
    });

    // COMMENT_MAIL_DIGEST_SECONDS=0: a job for each comment, due at once.
    await start({ COMMENT_MODERATION: 'none', COMMENT_MAIL_DIGEST_SECONDS: '0' });
    const now = await posted(ann, second.id, 'Straight away');
    const [row] = await waitFor(
      () =>
        sql<{ job_id: string }>(
          `SELECT job_id FROM outbox_events WHERE name = 'comments.mail-digest' AND job_id = $1`,
          [`comment-digest:${now.id}`],
        ),
      (rows) => rows.length > 0,
    );
    expect(row.job_id).toBe(`comment-digest:${now.id}`);
  });

  it('holds every comment under "all", publishes at once under "none", and moderates in bulk', async () => {
    await start({ COMMENT_MODERATION: 'all' });
    const postId = await newPost();
    const reader = await signedIn();
    const held = [
      await posted(reader, postId, 'one'),
      await posted(reader, postId, 'two'),
      await posted(reader, postId, 'three'),
    ];
    expect(held.map((c) => c.status)).toEqual(['pending', 'pending', 'pending']);
    const ghost = '0190a000-0000-7000-8000-0000000000aa';
    const bulk = await call('POST', '/api/v1/comments/moderate', {
      token: editor.token,
      body: { ids: [held[0].id, held[1].id, ghost], action: 'approve' },
    });
    expect(bulk.json().data).toEqual({ changed: 2, missing: [ghost] });
    const rejected = await call('POST', '/api/v1/comments/moderate', {
      token: editor.token,
      body: { ids: [held[1].id, held[2].id], action: 'reject' },
    });
    expect(rejected.json().data).toEqual({ changed: 2, missing: [] });
    expect((await threads(postId)).data.map((t) => t.body)).toEqual(['one']);
    expect(await commentCount(postId)).toBe(1);
    // Its author still sees the rejected ones, marked.
    expect((await threads(postId, reader.token)).data.map((t) => [t.body, t.status])).toEqual([
      ['one', 'approved'],
      ['two', 'rejected'],
      ['three', 'rejected'],
    ]);

    await start({ COMMENT_MODERATION: 'none' });
    expect((await posted(await signedIn(), postId, 'straight in')).status).toBe('approved');
    expect(await commentCount(postId)).toBe(2);
  });

  it('refuses comments on a post that closed them, on drafts, and from unconfirmed or anonymous callers', async () => {
    const postId = await newPost({ commentsOpen: false });
    const reader = await signedIn();
    const closed = await comment(reader, postId, 'Anyone?');
    expect({ status: closed.statusCode, code: closed.json().error.details[0].code }).toEqual({
      status: 409,
      code: 'COMMENTS_CLOSED',
    });
    const draft = await call('POST', '/api/v1/posts', {
      token: author.token,
      body: { title: unique('Draft'), body: 'x' },
    });
    expect((await comment(reader, draft.json().data.id as string, 'Early')).statusCode).toBe(404);
    expect((await call('POST', `/api/v1/posts/${postId}/comments`, { body: { body: 'Anon' } })).statusCode).toBe(401);
    const unconfirmed = await signedIn({ verified: false });
    const open = await newPost();
    expect((await comment(unconfirmed, open, 'Not yet')).statusCode).toBe(403);
  });
  it('shows a comment in its thread with every field it was answered with when written and edited', async () => {
    await start({ COMMENT_MODERATION: 'none' });
    const postId = await newPost();
    const reader = await signedIn();
    const root = await posted(reader, postId, 'A *root*');
    const reply = await posted(author, postId, 'A reply', root.id);
    // The edit's answer reads the comment alone (not as a thread does): editedAt set, dates, author.
    const edited = await call('PATCH', `/api/v1/comments/${reply.id}`, {
      token: author.token,
      body: { body: 'Fixed' },
    });
    expect(edited.statusCode).toBe(200);
    const { data } = await threads(postId);
    expect(data).toEqual([{ ...root, replies: [{ ...edited.json().data, replies: [] }] }]);
    expect(data[0]).toMatchObject({ author: { id: reader.id, username: reader.username }, editedAt: null });
  });
});
