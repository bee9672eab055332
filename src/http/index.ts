export {
  checkTrustedProxy,
  compileTrustedProxies,
  TRUSTED_PROXIES_SYNTAX,
  TRUSTED_PROXY_NAMES,
} from '../config/trusted-proxies.js';
export { getClientIp, resolveClientIp } from './client-ip.js';
export { isValidRequestId, REQUEST_ID_HEADERS, resolveRequestId } from './request-id.js';
export type { RequestLike } from './request-like.js';
