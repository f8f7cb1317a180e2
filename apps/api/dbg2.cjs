const { createApp } = require('/work/main/apps/api/dist/bootstrap');
const { loadConfigFromEnvironment } = require('/work/main/apps/api/dist/config/config.module');
const { EventEmitter2 } = require('@nestjs/event-emitter');
const ev = require('/work/main/apps/api/dist/events/domain-events');
(async () => {
  const env =
    process.argv[2] === 'redis'
      ? {
          DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres',
          REDIS_URL: 'redis://127.0.0.1:6379',
          REDIS_PREFIX: 'dbg:',
        }
      : { DATA_DIR: '/tmp/dbg-data' };
  const cfg = loadConfigFromEnvironment({ NODE_ENV: 'development', LOG_LEVEL: 'info', SERVE_SPA: 'false', ...env });
  const a = await createApp(cfg, { recordBoot: false });
  await a.app.getHttpAdapter().getInstance().ready();
  const r = await a.app.inject({ method: 'GET', url: '/readiness' });
  console.log(r.statusCode, JSON.stringify(r.json().checks.queues));
  console.log('listeners', a.app.get(EventEmitter2).listeners(ev.UserRegisteredEvent.eventName).length);
  await a.app
    .get(EventEmitter2)
    .emitAsync(
      ev.UserRegisteredEvent.eventName,
      new ev.UserRegisteredEvent({ userId: 'u1', email: 'ada@example.com', username: 'ada' }, 'tok123', 48),
    );
  await new Promise((res) => setTimeout(res, 1500));
  const m = await a.app.inject({ method: 'GET', url: '/metrics' });
  console.log(
    m.body
      .split('\n')
      .filter((l) => /^(jobs_total|queue_jobs)/.test(l))
      .join('\n'),
  );
  await a.close();
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
