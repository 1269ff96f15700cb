import { connect as connectTcp, isIP } from "node:net";
import type { Duplex } from "node:stream";
import { connect as connectTls } from "node:tls";

/** Where to open a connection: an address the policy has already validated, never a host name. */
export interface ConnectTarget {
  address: string;
  family: 4 | 6;
  port: number;
  /** The URL's host name: sent as SNI and checked against the TLS certificate. */
  hostname: string;
  secure: boolean;
}

/** Opens the socket an HTTP request is written to. Injected so tests can see where a request would go. */
export type Connector = (target: ConnectTarget) => Duplex;

/**
 * Connects to exactly `target.address`: no second DNS lookup can switch it (DNS rebinding). TLS still
 * verifies the certificate against the host name.
 */
export const directConnector: Connector = (target) => {
  if (!target.secure) return connectTcp({ host: target.address, port: target.port });
  return connectTls({
    host: target.address,
    port: target.port,
    // SNI carries names only; a literal address is verified as the certificate's IP instead.
    servername: isIP(target.hostname) === 0 ? target.hostname : undefined,
    ALPNProtocols: ["http/1.1"],
  });
};
