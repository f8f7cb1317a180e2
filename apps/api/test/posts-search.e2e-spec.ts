import { SystemRole } from '@atrium/contracts';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import type { AtriumApp } from '../src/bootstrap';
import { type Actor, actors } from './support/actors';
import { BODY_MAX } from '../src/modules/posts/dto/posts.dto';
import { WORD_PAIRS_SQL } from '../src/modules/posts/search-pairs';
import { startTestApp, TestResources } from './support/test-app';

interface Hit {
  id: string;
  title: string;
  match?: { by: 'words' | 'similar'; rank: number; snippet: string };
}

/**
 * Search over posts on a real database: full-text (weighted title > excerpt > body, ranked, with
 * phrases and exclusions), snippets that are safe HTML, the trigram fallback for a misspelling,
 * and visibility (drafts never, members-only posts for signed-in readers only).
 */
describe('posts: search', () => {
  const resources = new TestResources();
  let atrium: AtriumApp;
  const { call, asRole, signedIn } = actors(() => atrium);
  let author: Actor;
  const ids: Record<string, string> = {};

  const write = async (key: string, body: Record<string, unknown>, publish = true): Promise<void> => {
    const res = await call('POST', '/api/v1/posts', { token: author.token, body });
    expect(res.statusCode).toBe(201);
    ids[key] = res.json().data.id as string;
    if (!publish) return;
    const published = await call('POST', `/api/v1/posts/${ids[key]}/publish`, { token: author.token });
    expect({ key, status: published.statusCode, body: published.statusCode === 200 ? '' : published.body }).toEqual({
      key,
      status: 200,
      body: '',
    });
  };
  const search = async (q: string, token?: string): Promise<Hit[]> => {
    const res = await call('GET', '/api/v1/posts', { query: { q, author: author.username, perPage: '50' }, token });
    expect(res.statusCode).toBe(200);
    return res.json().data as Hit[];
  };
  const keysOf = (hits: Hit[]): string[] =>
    hits.map((hit) => Object.keys(ids).find((key) => ids[key] === hit.id) ?? hit.id);

  beforeAll(async () => {
    await resources.create();
    atrium = await startTestApp(resources, { AUTH_THROTTLE_LIMIT: '1000' });
    author = await asRole(SystemRole.AUTHOR);
    const filler = 'The morning was grey and the gulls were loud over the water. '.repeat(8);
    await write('titled', {
      title: 'Tides of the northern harbour',
      body: `## Two tides a day\n\n${filler}\n\nBoats wait for high water.`,
    });
    await write('inBody', {
      title: 'Keepers of the lighthouse',
      body: `## The keepers\n\n${filler}\n\nThey rowed back to the harbour at dusk, past the [old pier](https://example.com/pier).`,
    });
    await write('unrelated', { title: 'Mountain trails in spring', body: `## Paths\n\n${filler}` });
    await write('draft', { title: 'Harbour plans (draft)', body: 'A harbour that is not published yet.' }, false);
    await write('members', {
      title: 'Harbour notes for members',
      body: 'The harbour, for members.',
      visibility: 'members',
    });
    await write('hostile', {
      title: 'Signals',
      body: 'Flags over the harbour <img src=x alt="signal flags" onerror=alert(1)> and <b>bold</b> words & "quotes".',
    });
  });

  afterAll(async () => {
    await atrium?.close();
    await resources.drop();
  });

  it('ranks a match in the title above one in the body, never lists drafts, and leaves out what does not match', async () => {
    const hits = await search('harbour');
    expect(keysOf(hits).slice(0, 1)).toEqual(['titled']);
    expect(new Set(keysOf(hits))).toEqual(new Set(['titled', 'inBody', 'hostile']));
    expect(hits.every((hit) => hit.match?.by === 'words')).toBe(true);
    const ranks = hits.map((hit) => hit.match!.rank);
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
    // Stemming: "tide" finds "Tides".
    expect(keysOf(await search('tide'))).toEqual(['titled']);
    expect(await search('volcano')).toEqual([]);
  });

  it('understands phrases, exclusions and or', async () => {
    expect(keysOf(await search('"northern harbour"'))).toEqual(['titled']);
    expect(new Set(keysOf(await search('harbour -lighthouse -flags')))).toEqual(new Set(['titled']));
    expect(new Set(keysOf(await search('mountain or lighthouse')))).toEqual(new Set(['unrelated', 'inBody']));
  });

  it('gives a snippet around the match with the words marked, as text with no other markup', async () => {
    const [inBody] = (await search('dusk')).filter((hit) => hit.id === ids.inBody);
    expect(inBody.match!.snippet).toContain('<mark>dusk</mark>');
    // The Markdown link is its text in the snippet.
    expect(inBody.match!.snippet).toContain('old pier');
    expect(inBody.match!.snippet).not.toContain('](');
    const [hostile] = (await search('flags')).filter((hit) => hit.id === ids.hostile);
    expect(hostile.match!.snippet).toContain('<mark>Flags</mark>');
    // Nothing but <mark> is markup: the body's HTML and quotes come out escaped or dropped.
    expect(hostile.match!.snippet.replace(/<\/?mark>/g, '')).not.toMatch(/[<>]/);
    expect(hostile.match!.snippet).toContain('&#38;');
  });

  it('falls back to titles with a word like the query when no post has the words (a misspelling)', async () => {
    const hits = await search('harbur');
    expect(keysOf(hits)).toContain('titled');
    expect(hits.every((hit) => hit.match?.by === 'similar')).toBe(true);
    expect(keysOf(hits)).not.toContain('draft');
  });

  it('finds members-only posts for signed-in readers only', async () => {
    expect(keysOf(await search('members'))).toEqual([]);
    const reader = await signedIn();
    expect(keysOf(await search('members', reader.token))).toEqual(['members']);
  });

  it('pages search results by offset and refuses a cursor', async () => {
    const res = await call('GET', '/api/v1/posts', {
      query: { q: 'harbour', author: author.username, perPage: '1', page: '2' },
    });
    expect(res.json().meta.pagination).toMatchObject({ page: 2, perPage: 1, totalItems: 3 });
    expect(res.json().data).toHaveLength(1);
    const cursor = await call('GET', '/api/v1/posts', { query: { q: 'harbour', limit: '5' } });
    expect(cursor.statusCode).toBe(400);
    expect(cursor.json().error.details[0].code).toBe('SEARCH_PAGING');
  });

  it('finds a phrase only where its words stand together, and reads back only the posts holding its word pairs', async () => {
    await write('phraseInBody', {
      title: 'Notes from the quay',
      body: 'All night the storm and the bell kept the quay awake. A ferry-boat waited.',
    });
    await write('wordsApart', { title: 'Bell repairs', body: 'The bell was cast again after the storm.' });
    await write('reversed', { title: 'A night at sea', body: 'The bell and the storm, at last.' });
    await write('acrossTitle', { title: 'The evening ferry', body: 'Crossing the bay in the dark.' });
    // Across stop words, in either order, across the end of the title, in a hyphenated word.
    const statements: Array<{ text: string; values: unknown[] }> = [];
    const query = Object.getOwnPropertyDescriptor(Client.prototype, 'query')!.value as (...a: unknown[]) => unknown;
    const spy = jest.spyOn(Client.prototype, 'query').mockImplementation(function (this: Client, ...args: unknown[]) {
      const [text, values] = args;
      if (typeof text === 'string' && Array.isArray(values)) statements.push({ text, values });
      return query.apply(this, args) as never;
    });
    try {
      expect(keysOf(await search('"storm and the bell"'))).toEqual(['phraseInBody']);
    } finally {
      spy.mockRestore();
    }
    expect(keysOf(await search('"bell and the storm"'))).toEqual(['reversed']);
    expect(keysOf(await search('"ferry crossing"'))).toEqual(['acrossTitle']);
    expect(keysOf(await search('ferry-boat'))).toEqual(['phraseInBody']);
    // An excluded phrase narrows nothing, an "or" neither: the words index alone serves them.
    expect(new Set(keysOf(await search('storm -"storm and the bell"')))).toEqual(new Set(['wordsApart', 'reversed']));
    expect(new Set(keysOf(await search('"storm and the bell" or "ferry crossing"')))).toEqual(
      new Set(['phraseInBody', 'acrossTitle']),
    );

    // The statement that found the candidates asked for the phrase's pairs, by the expression the
    // pairs index is built on (a plan on a table this small would not show the index: seq scans off).
    const candidates = statements.find((statement) => statement.text.includes('tsvector_word_pairs('));
    expect(candidates?.values).toContain(`'storm bell'`);
    const plan = await atrium.app.get(DataSource).transaction(async (manager) => {
      await manager.query('SET LOCAL enable_seqscan = off');
      return JSON.stringify(
        await manager.query(`EXPLAIN (FORMAT JSON) SELECT p.id FROM posts p WHERE ${WORD_PAIRS_SQL} @@ $1::tsquery`, [
          `'storm bell'`,
        ]),
      );
    });
    expect(plan).toContain('posts_search_pairs_idx');
  });

  it('saves a post as long as a body may be, and finds it by a phrase from its last line', async () => {
    // Prose of BODY_MAX characters: about 14 000 words from a vocabulary of 3 000 made-up ones.
    // The pairs index's function once compared each of a post's word positions with every other:
    // ~30 s in Postgres for this body, past the 10 s statement limit, so the save failed (503).
    const wordOf = (i: number): string => {
      let word = '';
      for (let n = i + 400; n > 0; n = Math.floor(n / 80)) word += 'bcdfghklmnprstvz'[n % 16] + 'aeiou'[(n >> 4) % 5];
      return word;
    };
    const words: string[] = [];
    for (let j = 1, length = 0; length + 12 < BODY_MAX; j += 1) {
      words.push(wordOf((j * 7919) % 3000));
      length += words[words.length - 1].length + 1;
    }
    const body = words.join(' ');
    expect(body.length).toBeGreaterThan(BODY_MAX - 20);
    await write('longest', { title: 'The longest log', body });
    expect(keysOf(await search(`"${words.slice(-3).join(' ')}"`))).toEqual(['longest']);
  });
});
