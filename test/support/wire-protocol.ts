/**
 * A PostgreSQL client at the wire-protocol level, for tests that need to send part of an exchange (a Parse without
 * its Sync) and the rest later, which `pg` never does on its own.
 */
import net from 'node:net';

const message = (type: string, body: Buffer): Buffer => {
  const header = Buffer.alloc(5);
  header.write(type, 0, 'ascii');
  header.writeInt32BE(4 + body.length, 1);
  return Buffer.concat([header, body]);
};
const cstring = (text: string): Buffer => Buffer.from(`${text}\0`, 'utf8');

/** Parse of the unnamed statement, no parameters. */
export const parse = (sql: string): Buffer =>
  message('P', Buffer.concat([cstring(''), cstring(sql), Buffer.from([0, 0])]));
/** Bind, Execute and Sync of the unnamed statement/portal, text results. */
export const bindExecuteSync = (): Buffer =>
  Buffer.concat([
    message('B', Buffer.concat([cstring(''), cstring(''), Buffer.from([0, 0, 0, 0, 0, 0])])),
    message('E', Buffer.concat([cstring(''), Buffer.from([0, 0, 0, 0])])),
    message('S', Buffer.alloc(0)),
  ]);

export class WireClient {
  private received = Buffer.alloc(0);
  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (data) => (this.received = Buffer.concat([this.received, data])));
  }

  static async connect(port: number): Promise<WireClient> {
    const socket = net.connect({ port, host: '127.0.0.1' });
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const client = new WireClient(socket);
    const params = Buffer.concat([
      cstring('user'),
      cstring('postgres'),
      cstring('database'),
      cstring('postgres'),
      Buffer.from([0]),
    ]);
    const startup = Buffer.alloc(8);
    startup.writeInt32BE(8 + params.length, 0);
    startup.writeInt32BE(196608, 4);
    socket.write(Buffer.concat([startup, params]));
    await client.readUntilReady();
    return client;
  }

  send(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** Waits for ReadyForQuery; returns the text of every DataRow's first column and every error's message. */
  async readUntilReady(): Promise<{ rows: string[]; errors: string[] }> {
    for (;;) {
      const messages = this.split();
      const ready = messages.findIndex((m) => m.type === 'Z');
      if (ready >= 0) {
        const taken = messages.slice(0, ready + 1);
        this.received = this.received.subarray(taken.reduce((n, m) => n + 1 + m.body.length + 4, 0));
        return {
          rows: taken
            .filter((m) => m.type === 'D')
            .map((m) => m.body.subarray(6, 6 + m.body.readInt32BE(2)).toString('utf8')),
          errors: taken
            .filter((m) => m.type === 'E')
            .map((m) => m.body.toString('utf8').replace(/\0/g, ' ').trim()),
        };
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  close(): void {
    this.socket.destroy();
  }

  private split(): { type: string; body: Buffer }[] {
    const messages: { type: string; body: Buffer }[] = [];
    for (let at = 0; at + 5 <= this.received.length;) {
      const length = this.received.readInt32BE(at + 1);
      if (at + 1 + length > this.received.length) break;
      messages.push({
        type: String.fromCharCode(this.received[at]!),
        body: this.received.subarray(at + 5, at + 1 + length),
      });
      at += 1 + length;
    }
    return messages;
  }
}
