import { SystemRole } from '@atrium/contracts';
import type { AtriumApp } from '../src/bootstrap';
import type { ViewBuffer } from '../src/modules/posts/views/view-buffer';
import { VIEW_BUFFER, ViewsService } from '../src/modules/posts/views/views.service';
import { type Actor, actors } from './support/actors';
import { unique } from './support/factories';
import { startTestApp, TestResources } from './support/test-app';
import { TEST_REDIS_URL } from './support/test-env';
import { waitFor } from './support/wait-for';
import { WorkerProcess } from './support/worker-process';

/**
 * View counts on real Postgres and Redis: once per reader per half hour, buffered and written in
 * batches, and no view lost or counted twice when the process that writes them dies mid-way —
 * including a real worker killed with SIGKILL.
 */
describe('post views', () => {
  const resources = new TestResources();
  let atrium: AtriumApp;
  const { call, asRole, signedIn } = actors(() => atrium);
  let author: Actor;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    await resources.create();
    atrium = await startTestApp(resources);
    author = await asRole(SystemRole.AUTHOR);
  });

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop('SIGKILL')));
    await atrium?.close();
    await resources.drop();
  });

  const publish = async (): Promise<{ id: string; slug: string }> => {
    const made = await call('POST', '/api/v1/posts', {
      token: author.token,
      body: { title: unique('Viewed'), body: 'Read me.' },
    });
    await call('POST', `/api/v1/posts/${made.json().data.id}/publish`, { token: author.token });
    return made.json().data as { id: string; slug: string };
  };
  /** A read by a signed-out reader using browser `agent`. */
  const read = async (slug: string, agent: string, token?: string): Promise<void> => {
    const res = await call('GET', `/api/v1/posts/${slug}`, { token, headers: { 'user-agent': agent } });
    expect(res.statusCode).toBe(200);
  };
  const viewCount = async (id: string): Promise<number> =>
    (await call('GET', `/api/v1/posts/${id}`, { token: author.token })).json().data.viewCount as number;
  const flush = (): Promise<number> => atrium.app.get(ViewsService).flush();
  const buffer = (): ViewBuffer => atrium.app.get<ViewBuffer>(VIEW_BUFFER);

  it('counts each reader once per half hour, after the flush, and not an author looking at a draft', async () => {
    const post = await publish();
    await flush();
    await read(post.slug, 'Firefox');
    await read(post.slug, 'Firefox');
    await read(post.slug, 'Chromium');
    const reader = await signedIn();
    await read(post.slug, 'Firefox', reader.token);
    await read(post.id, 'Safari', reader.token);
    // Buffered: nothing written yet.
    expect(await viewCount(post.id)).toBe(0);
    expect(await flush()).toBe(3);
    expect(await viewCount(post.id)).toBe(3);

    const draft = (
      await call('POST', '/api/v1/posts', { token: author.token, body: { title: unique('Draft'), body: 'Not yet.' } })
    ).json().data as { id: string };
    await read(draft.id, 'Firefox', author.token);
    expect(await flush()).toBe(0);
  });

  it('orders by views', async () => {
    const [quiet, busy] = [await publish(), await publish()];
    for (const agent of ['a', 'b', 'c']) await read(busy.slug, agent);
    await read(quiet.slug, 'a');
    await flush();
    const list = await call('GET', '/api/v1/posts', { query: { sort: '-viewCount', perPage: '100' } });
    const ids = (list.json().data as Array<{ id: string }>).map((p) => p.id);
    expect(ids.indexOf(busy.id)).toBeLessThan(ids.indexOf(quiet.id));
  });

  it('finishes a batch a flush left half-done, and never applies one twice', async () => {
    const post = await publish();
    await flush();
    for (const agent of ['one', 'two']) await read(post.slug, agent);
    // A flush that wrote the counts and died before it could clear its batch…
    const store = buffer();
    const done = store.done.bind(store);
    store.done = () => Promise.reject(new Error('killed'));
    await expect(flush()).rejects.toThrow('killed');
    store.done = done;
    expect(await viewCount(post.id)).toBe(2);
    // …is cleared by the next one, which writes nothing twice and then the views counted since.
    await read(post.slug, 'three');
    expect(await flush()).toBe(1);
    expect(await viewCount(post.id)).toBe(3);
  });

  it('loses no view when the worker that writes them is killed', async () => {
    const post = await publish();
    await flush();
    const env = {
      NODE_ENV: 'test',
      DATABASE_URL: resources.databaseUrl,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: resources.redisPrefix,
      APP_URL: 'https://app.atrium.test',
    };
    for (const agent of ['w1', 'w2', 'w3']) await read(post.slug, agent);
    // A flush took these three aside and died before writing them.
    expect((await buffer().take('0190a000-0000-7000-8000-00000000abcd'))?.counts).toEqual([[post.id, 3]]);
    await read(post.slug, 'w4');

    const first = new WorkerProcess(env);
    workers.push(first);
    await first.start();
    // The worker's schedule writes both: the left batch and the view since.
    await waitFor(
      () => viewCount(post.id),
      (n) => n === 4,
      30_000,
    );
    await first.stop('SIGKILL');

    for (const agent of ['w5', 'w6']) await read(post.slug, agent);
    const second = new WorkerProcess(env);
    workers.push(second);
    await second.start();
    await waitFor(
      () => viewCount(post.id),
      (n) => n === 6,
      30_000,
    );
    await second.stop('SIGTERM');
    expect(await viewCount(post.id)).toBe(6);
  });
});
