/** What a registration got back: the extension's identifier, or why there is none. */
export type Registration =
  | { readonly ok: true; readonly identifier: string }
  | { readonly ok: false; readonly reason: string };
