import { Atrium } from './harness/atrium';

describe('harness smoke', () => {
  let h: Atrium;
  beforeAll(async () => {
    const t = Date.now();
    h = await Atrium.start({ name: 'smoke' });
    console.log('boot ms', Date.now() - t);
  });
  afterAll(async () => {
    await h?.stop();
  });
  it('boots', async () => {
    const r = await h.a.http.get('/readiness');
    console.log(r.status, r.text);
    const u = await h.signedIn({ roles: ['admin'] });
    const me = await h.b.http.get('/api/v1/auth/me', { token: u.token });
    console.log(me.status, me.text.slice(0, 300));
    const w = await h.worker.http.send({ method: 'GET', path: '/readiness' });
    console.log('worker readiness', w.status, w.body?.toString());
    const missing = await h.waitForMails([u.email], /confirm/i, 10000);
    console.log('missing', missing, h.sink.received.length);
  });
});
