import { Test, type TestingModule } from '@nestjs/testing';
import { type AddressObject, type ParsedMail, simpleParser } from 'mailparser';
import { createServer, type Server } from 'node:http';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { type AppConfig, loadConfig } from '../src/config/app-config';
import { ConfigModule } from '../src/config/config.module';
import { isPermanentMailError } from '../src/modules/mail/mail.errors';
import { MailRenderer } from '../src/modules/mail/mail-renderer';
import { MailService } from '../src/modules/mail/mail.service';
import { MailTransport } from '../src/modules/mail/mail.transport';
import { appLink, type MailJob } from '../src/modules/mail/mail.types';

interface ReceivedMail {
  mailFrom: string;
  rcptTo: string[];
  raw: Buffer;
}

/** Rejections by recipient, as real servers answer them. */
const REJECTIONS: Record<string, { responseCode: number; message: string }> = {
  'nobody@example.com': { responseCode: 550, message: '5.1.1 No such user here' },
  'busy@example.com': { responseCode: 451, message: '4.3.0 Mailbox temporarily unavailable, try again later' },
};

/** An in-process SMTP server that keeps every message it accepts. */
async function startSmtpServer(): Promise<{ port: number; received: ReceivedMail[]; close: () => Promise<void> }> {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      const rejection = REJECTIONS[address.address];
      callback(
        rejection ? Object.assign(new Error(rejection.message), { responseCode: rejection.responseCode }) : null,
      );
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const mailFrom = session.envelope.mailFrom;
        received.push({
          mailFrom: mailFrom ? mailFrom.address : '',
          rcptTo: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          raw: Buffer.concat(chunks),
        });
        callback(null);
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return { port, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Stands in for the SPA at APP_URL: records which links were opened. */
async function startAppServer(): Promise<{ url: string; opened: string[]; server: Server }> {
  const opened: string[] = [];
  const server = createServer((req, res) => {
    opened.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, opened, server };
}

async function mailModule(env: Record<string, string>): Promise<{ moduleRef: TestingModule; config: AppConfig }> {
  const config = loadConfig(
    { NODE_ENV: 'test', MAIL_FROM: 'Atrium Test <no-reply@atrium.test>', ...env },
    { version: '0.0.0', spaDir: '/tmp' },
  );
  // The mail providers alone: MailModule also wires the queue, which is not under test here.
  const moduleRef = await Test.createTestingModule({
    imports: [ConfigModule.forRoot(config)],
    providers: [MailRenderer, MailTransport, MailService],
  }).compile();
  await moduleRef.init();
  return { moduleRef, config };
}

function verifyJob(config: AppConfig, to: string, token: string): MailJob<'verify-email'> {
  return {
    to,
    template: 'verify-email',
    variables: { username: 'Ada', verifyUrl: appLink(config, '/verify-email', { token }), expiresInHours: 24 },
  };
}

const addresses = (field: AddressObject | AddressObject[] | undefined) =>
  (Array.isArray(field) ? field : field ? [field] : []).flatMap((group) => group.value);

/** The links in the HTML part, as a browser reads them out of the attributes. */
function htmlLinks(html: string): string[] {
  return [...html.matchAll(/href="([^"]*)"/g)].map((match) =>
    match[1]
      .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
      .replace(/&amp;/g, '&'),
  );
}

function expectBothParts(parsed: ParsedMail): { html: string; text: string } {
  expect(typeof parsed.html).toBe('string');
  expect(typeof parsed.text).toBe('string');
  return { html: parsed.html as string, text: parsed.text as string };
}

describe('mail delivery', () => {
  describe('over SMTP', () => {
    let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
    let app: Awaited<ReturnType<typeof startAppServer>>;
    let moduleRef: TestingModule;
    let config: AppConfig;
    let mail: MailService;

    beforeAll(async () => {
      smtp = await startSmtpServer();
      app = await startAppServer();
      ({ moduleRef, config } = await mailModule({ SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, APP_URL: app.url }));
      mail = moduleRef.get(MailService);
    });

    afterAll(async () => {
      await moduleRef?.close(); // closes the SMTP pool, or the server would wait for its connections
      await smtp?.close();
      await new Promise((resolve) => app?.server.close(resolve));
    });

    beforeEach(() => {
      smtp.received.length = 0;
      app.opened.length = 0;
    });

    it('delivers a verification mail whose link opens the app with the token', async () => {
      const token = 'v3r1fy_T0ken-abc';
      const delivery = await mail.send(verifyJob(config, 'ada@example.com', token));

      expect(delivery).toEqual({ messageId: expect.stringMatching(/^<.+@atrium\.test>$/), delivered: 'smtp' });
      expect(smtp.received).toHaveLength(1);
      expect(smtp.received[0].mailFrom).toBe('no-reply@atrium.test');
      expect(smtp.received[0].rcptTo).toEqual(['ada@example.com']);

      const parsed = await simpleParser(smtp.received[0].raw);
      expect(parsed.messageId).toBe(delivery.messageId);
      expect(addresses(parsed.to).map((a) => a.address)).toEqual(['ada@example.com']);
      expect(addresses(parsed.from)).toEqual([{ name: 'Atrium Test', address: 'no-reply@atrium.test' }]);
      expect(parsed.subject).toBe('Confirm your email address for Atrium');
      expect(parsed.headers.get('auto-submitted')).toBe('auto-generated');

      const { html, text } = expectBothParts(parsed);
      expect(html).toContain('Hi Ada,');
      expect(html).toContain('Confirm email address</a>');
      expect(text).toContain('Hi Ada,');
      expect(text).toContain('This link expires in 24 hours.');

      const textLink = text.match(/^https?:\/\/\S+$/m)?.[0];
      expect(textLink).toBe(`${app.url}/verify-email?token=${token}`);
      expect(htmlLinks(html).filter((href) => href === textLink)).toHaveLength(2);

      const response = await fetch(textLink as string);
      expect(response.status).toBe(200);
      expect(app.opened).toEqual([`/verify-email?token=${token}`]);
    });

    it('sends every mail from MAIL_FROM to its own recipient over the pooled connection', async () => {
      const [first, second] = await Promise.all([
        mail.send(verifyJob(config, 'ada@example.com', 'one')),
        mail.send({
          to: 'grace@example.com',
          template: 'reset-password',
          variables: {
            username: 'Grace',
            resetUrl: appLink(config, '/reset-password', { token: 'two' }),
            expiresInMinutes: 60,
          },
        }),
      ]);
      expect(first.messageId).not.toBe(second.messageId);
      const parsed = await Promise.all(smtp.received.map((m) => simpleParser(m.raw)));
      expect(parsed.map((m) => [addresses(m.to)[0]?.address, m.subject]).sort()).toEqual([
        ['ada@example.com', 'Confirm your email address for Atrium'],
        ['grace@example.com', 'Reset your Atrium password'],
      ]);
      expect(parsed.every((m) => addresses(m.from)[0]?.address === 'no-reply@atrium.test')).toBe(true);
    });

    it('fails with a permanent error when the server rejects the recipient with 550', async () => {
      const error: unknown = await mail.send(verifyJob(config, 'nobody@example.com', 't')).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      expect((error as { responseCode?: number }).responseCode).toBe(550);
      expect((error as Error).message).toContain('No such user here');
      expect(isPermanentMailError(error)).toBe(true);
      expect(smtp.received).toHaveLength(0);
    });

    it('fails with a transient error when the server says to try again later (451)', async () => {
      const error: unknown = await mail.send(verifyJob(config, 'busy@example.com', 't')).catch((e: unknown) => e);
      expect((error as { responseCode?: number }).responseCode).toBe(451);
      expect(isPermanentMailError(error)).toBe(false);
    });

    it('still delivers after a rejection, on the same pool', async () => {
      await expect(mail.send(verifyJob(config, 'nobody@example.com', 't'))).rejects.toThrow();
      await expect(mail.send(verifyJob(config, 'ada@example.com', 't'))).resolves.toMatchObject({ delivered: 'smtp' });
      expect(smtp.received.map((m) => m.rcptTo)).toEqual([['ada@example.com']]);
    });
  });

  describe('to an unreachable SMTP server', () => {
    it('fails with a transient error, so the queue retries', async () => {
      const closed = await startSmtpServer();
      await closed.close(); // its port now refuses connections
      const { moduleRef, config } = await mailModule({ SMTP_URL: `smtp://127.0.0.1:${closed.port}` });
      try {
        const error: unknown = await moduleRef
          .get(MailService)
          .send(verifyJob(config, 'ada@example.com', 't'))
          .catch((e: unknown) => e);
        // A socket error comes from Node's realm, not Jest's: compare its fields, not its class.
        expect(error).toMatchObject({ code: 'ESOCKET', originalCode: 'ECONNREFUSED' });
        expect(isPermanentMailError(error)).toBe(false);
      } finally {
        await moduleRef.close();
      }
    });
  });

  describe('without SMTP_URL (outbox)', () => {
    let dataDir: string;

    beforeAll(async () => {
      dataDir = await mkdtemp(join(tmpdir(), 'atrium-mail-e2e-'));
    });

    afterAll(async () => {
      await rm(dataDir, { recursive: true, force: true });
    });

    it('writes an .eml file into <DATA_DIR>/outbox that a mail reader opens', async () => {
      const { moduleRef, config } = await mailModule({ DATA_DIR: dataDir, APP_URL: 'https://atrium.example' });
      try {
        const delivery = await moduleRef.get(MailService).send({
          to: 'moderator@example.com',
          template: 'comment-awaiting-moderation',
          variables: {
            postTitle: 'Q&A: <Gardens>',
            commentExcerpt: 'Great post!\nSecond line.',
            authorName: 'Grace',
            moderationUrl: appLink(config, '/admin/comments', { status: 'pending' }),
          },
        });

        const files = await readdir(join(dataDir, 'outbox'));
        expect(files).toHaveLength(1);
        expect(files[0]).toMatch(/\.eml$/);
        expect(delivery).toEqual({
          messageId: expect.stringMatching(/^<.+>$/),
          delivered: 'outbox',
          path: join(dataDir, 'outbox', files[0]),
        });

        const parsed = await simpleParser(await readFile(join(dataDir, 'outbox', files[0])));
        expect(parsed.messageId).toBe(delivery.messageId);
        expect(parsed.subject).toBe('New comment awaiting moderation on "Q&A: <Gardens>"');
        expect(addresses(parsed.to).map((a) => a.address)).toEqual(['moderator@example.com']);
        expect(addresses(parsed.from).map((a) => a.address)).toEqual(['no-reply@atrium.test']);
        const { html, text } = expectBothParts(parsed);
        expect(html).toContain('<strong>Q&amp;A: &lt;Gardens&gt;</strong>');
        expect(text).toContain('Grace commented on "Q&A: <Gardens>":\n\nGreat post!\nSecond line.\n');
        expect(text).toContain('\nhttps://atrium.example/admin/comments?status=pending\n');
        expect(htmlLinks(html)).toContain('https://atrium.example/admin/comments?status=pending');
      } finally {
        await moduleRef.close();
      }
    });
  });
});
