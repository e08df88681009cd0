import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

/**
 * Connect to an MCP server over Streamable HTTP with the official SDK client. With `traceparent`,
 * every HTTP request carries a W3C trace context header, so the tool server can tie each call to
 * the agent run that made it.
 */
export async function connectMcp(
  url: string,
  options: { name: string; traceparent?: () => string },
): Promise<Client> {
  const traceparent = options.traceparent;
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    fetch: traceparent
      ? (input, init) => {
          const headers = new Headers(init?.headers);
          headers.set('traceparent', traceparent());
          return fetch(input, { ...init, headers });
        }
      : undefined,
  });
  const client = new Client({ name: options.name, version: '0.1.0' });
  await client.connect(transport);
  return client;
}
