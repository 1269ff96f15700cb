import { type Connector, type ConnectTarget, directConnector } from "../../../../src/tools/web/connector.js";

/**
 * Records every connection the client asks for and only ever dials 127.0.0.1: any other address
 * fails without a packet leaving the machine. `route` maps a (public) address to a local port, as
 * a stand-in network for rebinding tests.
 */
export function recordingConnector(dialed: ConnectTarget[], route: Record<string, number> = {}): Connector {
  return (target) => {
    dialed.push(target);
    const routedPort = route[target.address];
    if (routedPort !== undefined) {
      return directConnector({ ...target, address: "127.0.0.1", port: routedPort, secure: false });
    }
    if (target.address !== "127.0.0.1") throw new Error(`test network: ${target.address} is not reachable`);
    return directConnector(target);
  };
}
