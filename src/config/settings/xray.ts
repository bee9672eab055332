import { DAEMON_ADDRESS_FORMS, DEFAULT_DAEMON_ADDRESS, parseDaemonAddress } from '../parse-daemon-address.js';
import { defineSettings } from '../setting.js';

// X-Ray annotation keys allow letters, digits and underscores only; attribute names are
// mapped by replacing every other character with `_` (`http.route` -> `http_route`).
const MAX_ANNOTATION_ATTRIBUTES = 50;

/** Settings of the direct X-Ray exporter (`tracing.exporter: 'xray'`). */
export const XRAY_SETTINGS = defineSettings([
  {
    path: 'xray.daemonAddress',
    env: 'LOOKOUT_XRAY_DAEMON_ADDRESS',
    standard: ['AWS_XRAY_DAEMON_ADDRESS'],
    type: 'string',
    default: DEFAULT_DAEMON_ADDRESS,
    defaultText: `\`${DEFAULT_DAEMON_ADDRESS}\``,
    acceptsText: DAEMON_ADDRESS_FORMS,
    check: (value) => {
      const parsed = parseDaemonAddress(value);
      return parsed.ok ? undefined : parsed.reason;
    },
    description:
      'Where the `xray` exporter sends segment documents (UDP). Lambda sets `AWS_XRAY_DAEMON_ADDRESS` when active tracing is on.',
  },
  {
    path: 'xray.annotations',
    env: 'LOOKOUT_XRAY_ANNOTATIONS',
    type: 'list',
    default: [],
    defaultText: 'none',
    check: (value) =>
      value.length > MAX_ANNOTATION_ATTRIBUTES
        ? `more than ${MAX_ANNOTATION_ATTRIBUTES} attributes (X-Ray indexes at most ${MAX_ANNOTATION_ATTRIBUTES} annotations per trace)`
        : undefined,
    description:
      'Span attributes recorded as X-Ray annotations (indexed, searchable in filter expressions), e.g. `http.route,tenant.id`. Keys become letters, digits and `_`; at most 50 per trace. Every other attribute goes to metadata.',
  },
]);
