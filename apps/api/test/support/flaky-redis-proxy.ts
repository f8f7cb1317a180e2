import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy in front of a Redis (`upstreamUrl`) that the test can cut (connections reset, new ones
 * refused) or freeze (connections open, nothing answered), while Redis itself keeps its data.
 */
export class FlakyProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private mode: 'up' | 'down' | 'frozen' = 'up';
  port = 0;

  constructor(private readonly upstreamUrl: string) {}

  async start(): Promise<this> {
    const { hostname, port } = new URL(this.upstreamUrl);
    this.server = createServer((client) => {
      if (this.mode === 'down') {
        client.destroy();
        return;
      }
      const upstream = connect(Number(port || 6379), hostname);
      const close = (): void => {
        client.destroy();
        upstream.destroy();
        this.sockets.delete(client);
        this.sockets.delete(upstream);
      };
      this.sockets.add(client).add(upstream);
      client.on('data', (chunk) => this.mode === 'up' && upstream.write(chunk));
      upstream.on('data', (chunk) => this.mode === 'up' && client.write(chunk));
      for (const socket of [client, upstream]) socket.on('close', close).on('error', close);
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
    return this;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  cut(): void {
    this.mode = 'down';
    for (const socket of this.sockets) socket.destroy();
  }

  freeze(): void {
    this.mode = 'frozen';
  }

  restore(): void {
    this.mode = 'up';
  }

  async stop(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
