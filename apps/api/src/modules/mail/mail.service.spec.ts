import { Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AppConfig, loadConfig } from '../../config/app-config';
import { ConfigModule } from '../../config/config.module';
import { isPermanentMailError } from './mail.errors';
import { MailRenderer } from './mail-renderer';
import { MailService } from './mail.service';
import { MailTransport } from './mail.transport';
import { appLink, InvalidMailError, type MailJob } from './mail.types';

const PRODUCTION_ENV = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://db.internal/atrium',
  REDIS_URL: 'redis://redis.internal:6379',
  JWT_ACCESS_SECRET: 'a-production-secret-with-plenty-of-entropy-9f3b7c2e',
  DATA_ENCRYPTION_KEY: 'a-production-data-key-with-plenty-of-entropy-4d8a1e6b',
};

describe('MailService without SMTP (outbox)', () => {
  let dataDir: string;
  let logSpy: jest.SpyInstance;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'atrium-mail-'));
    logSpy = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });

  afterEach(async () => {
    logSpy.mockRestore();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function serviceFor(env: Record<string, string>): Promise<{ service: MailService; config: AppConfig }> {
    const config = loadConfig(
      { APP_URL: 'https://atrium.example', DATA_DIR: dataDir, ...env },
      { version: '0.0.0', spaDir: '/tmp' },
    );
    // The mail providers alone: MailModule also wires the queue, which these tests do not need.
    const moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.forRoot(config)],
      providers: [MailRenderer, MailTransport, MailService],
    }).compile();
    return { service: moduleRef.get(MailService), config };
  }

  const verifyJob = (config: AppConfig, to = 'ada@example.com'): MailJob => ({
    to,
    template: 'verify-email',
    variables: {
      username: 'ada',
      verifyUrl: appLink(config, '/verify-email', { token: 'tok123' }),
      expiresInHours: 24,
    },
  });

  it('gives every delivery of one job the same Message-ID, and other jobs other ones', async () => {
    const { service, config } = await serviceFor({});
    const first = await service.send(verifyJob(config), 'mail.42');
    const again = await service.send(verifyJob(config), 'mail.42');
    const other = await service.send(verifyJob(config), 'mail.43');
    expect(first.messageId).toMatch(/^<mail\.42@.+>$/);
    expect(again.messageId).toBe(first.messageId);
    expect(other.messageId).not.toBe(first.messageId);
    expect(await readFile(again.path as string, 'utf8')).toContain(`Message-ID: ${first.messageId}`);
  });

  it('writes one .eml file per message into <DATA_DIR>/outbox, readable by this user only', async () => {
    const { service, config } = await serviceFor({});
    const first = await service.send(verifyJob(config));
    const second = await service.send(verifyJob(config, 'grace@example.com'));

    expect(first.delivered).toBe('outbox');
    expect(first.messageId).toMatch(/^<.+@.+>$/);
    expect(first.path).toMatch(
      new RegExp(`^${dataDir}/outbox/\\d{4}-\\d{2}-\\d{2}T\\d{2}-\\d{2}-\\d{2}\\.\\d{3}Z-[A-Za-z0-9._-]+\\.eml$`),
    );
    expect((await readdir(join(dataDir, 'outbox'))).sort()).toEqual(
      [first.path, second.path].map((path) => path?.split('/').pop()).sort(),
    );
    const raw = await readFile(first.path as string, 'utf8');
    expect(raw).toMatch(/^To: ada@example.com\r$/m);
    expect(raw).toMatch(/^Subject: Confirm your email address for Atrium\r$/m);
    expect(raw).toMatch(/^Auto-Submitted: auto-generated\r$/m);
    expect((await stat(first.path as string)).mode & 0o077).toBe(0);
  });

  it('logs the recipient, the subject and the link, so a local user can finish signing up', async () => {
    const { service, config } = await serviceFor({});
    const delivery = await service.send(verifyJob(config));
    expect(logSpy).toHaveBeenCalledWith(
      `Mail to ada@example.com "Confirm your email address for Atrium" written to ${delivery.path} ` +
        '(SMTP_URL is not set); link: https://atrium.example/verify-email?token=tok123',
    );
  });

  it('keeps one-use links out of the log in production', async () => {
    const { service, config } = await serviceFor(PRODUCTION_ENV);
    await service.send(verifyJob(config));
    // Nest logs its own start-up lines through the same Logger.
    const mailLines = logSpy.mock.calls.map(([line]) => String(line)).filter((line) => line.startsWith('Mail to '));
    expect(mailLines).toHaveLength(1);
    expect(mailLines[0]).toContain('Mail to ada@example.com "Confirm your email address for Atrium" written to');
    expect(mailLines[0]).not.toContain('tok123');
  });

  it.each([
    ['a list of recipients', 'ada@example.com, eve@example.com'],
    ['a header smuggled in after a line break', 'ada@example.com\r\nBcc: eve@example.com'],
    ['a display name', 'Ada <ada@example.com>'],
    ['no address at all', 'ada'],
  ])('refuses %s as the recipient, permanently and before writing anything', async (_, to) => {
    const { service, config } = await serviceFor({});
    const sending = service.send(verifyJob(config, to));
    await expect(sending).rejects.toThrow(InvalidMailError);
    await expect(sending.catch((error: unknown) => isPermanentMailError(error))).resolves.toBe(true);
    await expect(readdir(join(dataDir, 'outbox'))).rejects.toThrow(/ENOENT/);
  });
});
