import { createContext, useContext } from "react";

/** The CSP nonce is passed by entry.server to RemixServer; Remix exposes it on the client via this context. */
export const NonceContext = createContext<string>("");

export function useNonce(): string {
  return useContext(NonceContext);
}
