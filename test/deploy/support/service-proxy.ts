/**
 * A Service of the loopback cluster, as kube-proxy makes one: a TCP listener on the Service's
 * cluster IP and port that hands each new connection to one of the Service's endpoints (the
 * Ready pods its selector picks), in turn. Connections already made stay where they are when an
 * endpoint leaves, as with iptables; a Service without endpoints refuses connections.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';

export interface Endpoint {
  readonly ip: string;
  readonly port: number;
}

export class ServiceProxy {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private next = 0;

  constructor(
    readonly name: string,
    readonly clusterIp: string,
    readonly port: number,
    private readonly endpoints: () => readonly Endpoint[],
  ) {
    this.server = createServer((client) => this.forward(client));
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.port, this.clusterIp, () => resolve());
    });
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private forward(client: Socket): void {
    const ready = this.endpoints();
    if (ready.length === 0) {
      client.destroy();
      return;
    }
    const endpoint = ready[this.next++ % ready.length]!;
    const upstream = createConnection({ host: endpoint.ip, port: endpoint.port });
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  }
}
