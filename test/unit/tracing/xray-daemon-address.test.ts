import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { parseDaemonAddress } from '../../../src/config/parse-daemon-address.js';

/** What aws-xray-sdk-core makes of AWS_XRAY_DAEMON_ADDRESS (it reads it once, when required). */
function sdkReading(address: string): { udp: string; tcp: string } | 'throws' {
  const modulePath = createRequire(import.meta.url).resolve('aws-xray-sdk-core/dist/lib/daemon_config');
  const script = `try { const c = require(${JSON.stringify(modulePath)}); console.log(JSON.stringify({ udp: c.udp_ip + ':' + Number(c.udp_port), tcp: c.tcp_ip + ':' + Number(c.tcp_port) })); } catch { console.log('"throws"'); }`;
  const output = execFileSync(process.execPath, ['-e', script], {
    env: { PATH: process.env.PATH, AWS_XRAY_DAEMON_ADDRESS: address },
    encoding: 'utf8',
  });
  return JSON.parse(output) as { udp: string; tcp: string } | 'throws';
}

describe('AWS_XRAY_DAEMON_ADDRESS', () => {
  it.each([
    ['127.0.0.1:2000', { udp: { host: '127.0.0.1', port: 2000 }, tcp: { host: '127.0.0.1', port: 2000 } }],
    [
      'xray-daemon:3000',
      { udp: { host: 'xray-daemon', port: 3000 }, tcp: { host: 'xray-daemon', port: 3000 } },
    ],
    [
      'udp:169.254.79.129:2000 tcp:169.254.79.129:2001',
      { udp: { host: '169.254.79.129', port: 2000 }, tcp: { host: '169.254.79.129', port: 2001 } },
    ],
    [
      'tcp:10.0.0.1:2001 udp:10.0.0.2:2000',
      { udp: { host: '10.0.0.2', port: 2000 }, tcp: { host: '10.0.0.1', port: 2001 } },
    ],
    ['[::1]:2000', { udp: { host: '::1', port: 2000 }, tcp: { host: '::1', port: 2000 } }],
  ])('reads %j', (raw, address) => {
    expect(parseDaemonAddress(raw)).toEqual({ ok: true, address });
  });

  it.each([
    ['2000', 'no port'],
    [':2000', 'no valid host'],
    ['localhost:http', 'is not a number'],
    ['localhost:70000', 'is not a number'],
    ['udp:127.0.0.1:2000', 'both udp: and tcp:'],
    ['udp:127.0.0.1:2000 udp:127.0.0.1:2001', 'one udp: and one tcp:'],
    ['udp:127.0.0.1:2000 tcp:127.0.0.1:2001 x:1:1', 'at most two'],
    ['http://127.0.0.1:2000 tcp:127.0.0.1:2001', 'does not start with udp: or tcp:'],
  ])('refuses %j, saying why', (raw, reason) => {
    const result = parseDaemonAddress(raw);

    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.reason).toContain(reason);
  });

  it('reads every valid form the same way aws-xray-sdk-core does', () => {
    // Prepare: inputs the SDK accepts; it is run in a child process per input because it
    // reads the variable once, when its module is first required.
    const inputs = [
      '127.0.0.1:2000',
      'xray-daemon:3000',
      'udp:169.254.79.129:2000 tcp:169.254.79.129:2001',
      'tcp:10.0.0.1:2001 udp:10.0.0.2:2000',
    ];

    for (const input of inputs) {
      // Act
      const ours = parseDaemonAddress(input);
      const sdk = sdkReading(input);

      // Assess
      if (!ours.ok || sdk === 'throws') throw new Error(`${input}: ours ${JSON.stringify(ours)}, sdk ${sdk}`);
      expect({
        udp: `${ours.address.udp.host}:${ours.address.udp.port}`,
        tcp: `${ours.address.tcp.host}:${ours.address.tcp.port}`,
      }).toEqual(sdk);
    }
  });

  it('refuses what aws-xray-sdk-core refuses', () => {
    for (const input of ['2000', 'udp:127.0.0.1:2000', 'udp:127.0.0.1:2000 udp:127.0.0.1:2001']) {
      expect(sdkReading(input)).toBe('throws');
      expect(parseDaemonAddress(input).ok).toBe(false);
    }
  });
});
