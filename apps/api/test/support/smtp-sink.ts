import { type ParsedMail, simpleParser } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  rcptTo: string[];
  parsed: ParsedMail;
}

/**
 * How the sink answers a message for a recipient, attempt by attempt (the last one repeats):
 * accept it, refuse it for now (451) or for good (550), or hold it unanswered until `release()`
 * (a delivery in progress, for killing a worker mid-job).
 */
export type SinkReply = 'accept' | 'temporary' | 'permanent' | 'hold';

/** A real SMTP server in the test process: what the workers deliver to. */
export class SmtpSink {
  readonly received: ReceivedMail[] = [];
  /** Recipient → how many DATA commands the sink has seen for it (delivered or not). */
  readonly attempts = new Map<string, number>();
  private readonly plans = new Map<string, SinkReply[]>();
  private readonly held: Array<() => void> = [];
  private server?: SMTPServer;
  port = 0;

  plan(recipient: string, ...replies: SinkReply[]): void {
    this.plans.set(recipient.toLowerCase(), replies);
  }

  async start(): Promise<this> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const rcptTo = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
          const key = rcptTo[0];
          const attempt = (this.attempts.get(key) ?? 0) + 1;
          this.attempts.set(key, attempt);
          const plan = this.plans.get(key) ?? ['accept'];
          const reply = plan[Math.min(attempt, plan.length) - 1];
          if (reply === 'temporary' || reply === 'permanent') {
            const code = reply === 'temporary' ? 451 : 550;
            callback(Object.assign(new Error(`${code} sink says no`), { responseCode: code }));
            return;
          }
          const accept = (): void => {
            void simpleParser(Buffer.concat(chunks)).then((parsed) => {
              this.received.push({ rcptTo, parsed });
              callback();
            });
          };
          if (reply === 'hold') this.held.push(accept);
          else accept();
        });
      },
    });
    // A client that dies mid-message (a killed worker) resets its connection: that is the
    // client's failure, not the sink's — it must not crash the test process.
    this.server.on('error', () => undefined);
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Messages delivered to `recipient`. */
  to(recipient: string): ReceivedMail[] {
    return this.received.filter((m) => m.rcptTo.includes(recipient.toLowerCase()));
  }

  /** Answers every held message (its sender may be gone by then). */
  release(): void {
    for (const accept of this.held.splice(0)) accept();
  }

  async stop(): Promise<void> {
    this.release();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}
