import Fastify from 'fastify';
import { envelopeNestRoutes } from './envelope';
import { deepFreeze } from './json-text';

/** A Fastify app with the envelope's hook and one enveloped route answering `data`, ids from `ids`. */
async function appAnswering(data: unknown, ids: string[]) {
  const app = Fastify({ genReqId: () => ids.shift() ?? 'none' });
  envelopeNestRoutes(app);
  app.get('/thing', { config: { atriumEnvelope: true } }, () => data);
  await app.ready();
  return app;
}

describe('the envelope of data kept as text (decisions 127 and 128)', () => {
  it('is the JSON the envelope of the same data as an object gives, the request id escaped when it must be', async () => {
    const kept = deepFreeze({ id: 'p1', title: 'A "quoted" title', tags: [{ slug: 'a' }] });
    const copy = JSON.parse(JSON.stringify(kept)) as unknown;
    const ids = ['01a24184-2d43-752b-9f7f-18d1c86da7fe', 'made "elsewhere"\\'];
    for (const requestId of [...ids]) {
      const [fromText, fromObject] = [await appAnswering(kept, [requestId]), await appAnswering(copy, [requestId])];
      const [a, b] = [await fromText.inject('/thing'), await fromObject.inject('/thing')];
      const [textBody, objectBody] = [
        a.json<{ meta: { timestamp: string } }>(),
        b.json<{ meta: { timestamp: string } }>(),
      ];
      expect(textBody).toEqual({ ...objectBody, meta: { ...objectBody.meta, timestamp: textBody.meta.timestamp } });
      expect(textBody).toEqual({
        status: 'success',
        data: { id: 'p1', title: 'A "quoted" title', tags: [{ slug: 'a' }] },
        meta: { requestId, timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT[\d:.]+Z$/) },
      });
      expect(a.headers['content-type']).toBe(b.headers['content-type']);
      await Promise.all([fromText.close(), fromObject.close()]);
    }
  });
});
