import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { createTestMcpServer } from "./mcp-server.js";

/**
 * The test MCP server as a child process over stdio: `node --import tsx tests/support/mcp-server-stdio.ts`
 * (see `stdioServerCommand`). The `crash` tool exits the process.
 */
const server = createTestMcpServer({
  name: process.argv[2] ?? "stdio",
  crash: () => process.exit(1),
  environment: process.env,
});
await server.connect(new StdioServerTransport());
