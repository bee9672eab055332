// How the `lookout` command answers people: every command and subcommand prints its help for
// --help, and a mistake gets one line saying what is wrong (with the nearest right word when
// one is close) and where the help is, exit code 2.
import { describe, expect, it } from 'vitest';
import { runScript } from '../helpers/node-process.js';

const lookout = (...args: string[]) => runScript(['bin/lookout.mjs', ...args], {});

describe('lookout --help for every command', () => {
  it.each([
    [['--help'], /^lookout \S+: observability for Node.js services on AWS/],
    [['help', 'layer'], /^Usage: lookout layer build \[--out FILE\]/],
    [['check', '--help'], /^Usage: lookout check /],
    [['collector', '--help'], /^Usage: lookout collector check FILE/],
    [['collector', 'check', '--help'], /^Usage: lookout collector check FILE/],
    [['dev', '--help'], /^Usage: lookout dev \[options\] \[-- command args…\]/],
    [['dev', '-h'], /^Usage: lookout dev /],
    [['layer', '--help'], /^Usage: lookout layer build \[--out FILE\]/],
    [['layer', 'build', '--help'], /^Usage: lookout layer build \[--out FILE\]/],
    [['layer', 'build', '--out', 'x.zip', '-h'], /^Usage: lookout layer build /],
  ])('%j prints the help on stdout, exit 0', async (args, usage) => {
    const result = await lookout(...args);

    expect(result.stdout).toMatch(usage);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });
});

describe('lookout usage mistakes', () => {
  it.each([
    [['devv'], 'lookout: unknown command "devv" (did you mean "dev"?). See lookout --help'],
    [
      ['colector', 'check'],
      'lookout: unknown command "colector" (did you mean "collector"?). See lookout --help',
    ],
    [['deploy'], 'lookout: unknown command "deploy". See lookout --help'],
    [['--verbose'], 'lookout: unknown option "--verbose". See lookout --help'],
    [['layer'], 'lookout layer: missing subcommand (build). See lookout layer --help'],
    [
      ['layer', 'biuld'],
      'lookout layer: unknown subcommand "biuld" (did you mean "build"?). See lookout layer --help',
    ],
    [
      ['layer', 'build', '--out'],
      'lookout layer build: "--out" needs a value. See lookout layer build --help',
    ],
    [
      ['layer', 'build', '--oot', 'x.zip'],
      'lookout layer build: unknown option "--oot" (did you mean "--out"?). See lookout layer build --help',
    ],
    [
      ['layer', 'build', 'x.zip'],
      'lookout layer build: unexpected argument "x.zip". See lookout layer build --help',
    ],
    [
      ['dev', '--prot', '1'],
      'lookout dev: unknown option "--prot" (did you mean "--port"?). See lookout dev --help',
    ],
    [
      ['dev', 'node', 'app.mjs'],
      'lookout dev: unexpected argument "node" (put the app\'s command after --). See lookout dev --help',
    ],
    [
      ['check', 'cdk.out', '--format', 'sarf'],
      'lookout check: --format must be one of table, json, sarif, not "sarf" (did you mean "sarif"?). See lookout check --help',
    ],
  ])('%j: one line on stderr, exit 2', async (args, message) => {
    const result = await lookout(...args);

    expect(result.stderr).toBe(`${message}\n`);
    expect(result.stdout).toBe('');
    expect(result.code).toBe(2);
  });
});
