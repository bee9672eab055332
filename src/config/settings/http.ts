import { defineSettings } from '../setting.js';
import { checkTrustedProxy, TRUSTED_PROXIES_SYNTAX } from '../trusted-proxies.js';

/** Settings for what adapters read from HTTP requests. */
export const HTTP_SETTINGS = defineSettings([
  {
    path: 'http.trustedProxies',
    env: 'LOOKOUT_TRUSTED_PROXIES',
    type: 'list',
    default: [],
    defaultText: "none: Express's `req.ip` (its `trust proxy` setting), else the socket address",
    acceptsText: `a comma-separated list of ${TRUSTED_PROXIES_SYNTAX}`,
    check: (value) => {
      for (const entry of value) {
        const problem = checkTrustedProxy(entry);
        if (problem !== undefined) return `"${entry.slice(0, 60)}" ${problem}`;
      }
      return undefined;
    },
    description:
      'Addresses of the proxies in front of the app (load balancer, API gateway). The client address in access logs and audit entries is then read from `X-Forwarded-For` through these proxies only, so a client cannot forge it.',
  },
]);
