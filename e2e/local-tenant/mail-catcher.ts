import type { AddressInfo, Socket } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** One message as the catcher received it: envelope and the parts a test or the mailbox page reads. */
export interface CaughtMail {
  id: number;
  receivedAt: string;
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string | null;
  /** Every header, lower-cased names (a test checks there is no tracking, a list id, the language). */
  headers: Record<string, string>;
}

export interface MailCatcher {
  port: number;
  /** Every message so far, oldest first. */
  messages(): readonly CaughtMail[];
  /** The newest message to `address`, if any. */
  latestTo(address: string): CaughtMail | undefined;
  /** Forget every message (tests start clean). */
  clear(): void;
  /** Make the next `count` deliveries fail as a refusing or broken server would (a 451, or the connection cut). */
  failNext(count: number, how: 'refuse' | 'drop'): void;
  close(): Promise<void>;
}

const MAX_MESSAGES = 500;
const MAX_MESSAGE_BYTES = 256 * 1024;

/**
 * The local tenant's SMTP catcher: where Detour's mail goes in dev and tests, so no mail leaves the machine. Plain
 * SMTP on loopback with no authentication and no STARTTLS (the "smtp://" a local relay offers), keeping the newest
 * messages in memory.
 */
export async function startMailCatcher(options: { port?: number; host?: string } = {}): Promise<MailCatcher> {
  const caught: CaughtMail[] = [];
  let nextId = 1;
  let failures: { count: number; how: 'refuse' | 'drop' } = { count: 0, how: 'refuse' };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    size: MAX_MESSAGE_BYTES,
    logger: false,
    onData(stream, session, callback) {
      if (failures.count > 0) {
        failures.count -= 1;
        stream.resume();
        if (failures.how === 'drop') {
          // No answer at all: the connection is cut once the message is in, as a crashed relay would.
          stream.on('end', () => sockets.forEach((socket) => socket.destroy()));
          return;
        }
        stream.on('end', () => callback(Object.assign(new Error('Mailbox temporarily unavailable'), { responseCode: 451 })));
        return;
      }
      simpleParser(stream)
        .then((parsed) => {
          caught.push({
            id: nextId++,
            receivedAt: new Date().toISOString(),
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((recipient) => recipient.address),
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : null,
            headers: Object.fromEntries([...parsed.headers].map(([name, value]) => [name.toLowerCase(), typeof value === 'string' ? value : JSON.stringify(value)])),
          });
          if (caught.length > MAX_MESSAGES) caught.shift();
          callback();
        })
        .catch((error: unknown) => callback(error instanceof Error ? error : new Error(String(error))));
    },
  });
  const sockets = new Set<Socket>();
  server.server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.server.address() as AddressInfo;
  return {
    port: address.port,
    messages: () => caught,
    latestTo: (to) => [...caught].reverse().find((mail) => mail.to.some((address) => address.toLowerCase() === to.toLowerCase())),
    clear: () => void caught.splice(0),
    failNext: (count, how) => void (failures = { count, how }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        sockets.forEach((socket) => socket.destroy());
      }),
  };
}
