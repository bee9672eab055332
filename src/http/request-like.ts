/**
 * The parts of an incoming request that Lookout reads: a Node `IncomingMessage`, with the
 * fields Express (4 or 5) adds marked optional, so that any framework's request fits.
 */
export interface RequestLike {
  readonly method?: string | undefined;
  readonly url?: string | undefined;
  /** Express: the URL before routers stripped their mount path. */
  readonly originalUrl?: string | undefined;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** Express: the client address as its `trust proxy` setting computes it. */
  readonly ip?: string | undefined;
  /** Express: the app serving the request, whose `trust proxy` setting `ip` follows. */
  readonly app?: { readonly settings?: Readonly<Record<string, unknown>> } | undefined;
  readonly socket?: { readonly remoteAddress?: string | undefined } | undefined;
  /** Set by authentication middleware (Passport and most others). */
  readonly user?: { readonly id?: unknown } | undefined;
}
