/** What the server (server.js, or a test) passes to every loader and action. */
export type RequestContext = {
  requestId: string;
  ip: string;
  /** CSP nonce for Remix's inline scripts. */
  nonce: string;
};

declare module "@remix-run/node" {
  interface AppLoadContext extends Partial<RequestContext> {}
}

export function contextOf(ctx: Partial<RequestContext> | undefined): RequestContext {
  return { requestId: ctx?.requestId ?? "-", ip: ctx?.ip ?? "unknown", nonce: ctx?.nonce ?? "" };
}
