// What `npm test` needs beyond `npm install`, and how it gets it on a Debian machine (see
// docs/decisions/0004-test-prerequisites-on-a-fresh-machine.md): the build tools for the real
// Lambda runtime interface client, a Chromium for the viewer's browser tests, and the
// PostgreSQL, Redis, MariaDB, RabbitMQ and memcached servers the contrib instrumentation tests
// run their clients against. Run as root with apt-get at hand, missing Debian packages are installed and named; otherwise the check
// fails with the exact command that fixes it. A test never turns into a no-op for want of one.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_DEBIAN_PACKAGE, findChromium, findOnPath } from './find-chromium.mjs';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The workspace that holds the runtime interface client as an optional dependency. */
export const LAMBDA_RUNTIME_FIXTURE = join(REPO_ROOT, 'test', 'fixtures', 'lambda-runtime');

/**
 * What aws-lambda-ric's install scripts run (its preinstall builds curl with autotools and
 * aws-lambda-cpp with cmake; its postinstall runs node-gyp), as program -> Debian package.
 */
export const RUNTIME_CLIENT_BUILD_TOOLS = /** @type {const} */ ({
  cmake: 'cmake',
  autoconf: 'autoconf',
  automake: 'automake',
  libtoolize: 'libtool',
  make: 'make',
  'g++': 'g++',
  python3: 'python3',
});

/**
 * @typedef {{ readonly ok: true } | { readonly ok: false, readonly reason: string }} RuntimeClientState
 */

/**
 * Whether aws-lambda-ric is installed with its native part built.
 *
 * @returns {RuntimeClientState}
 */
export function runtimeClientState() {
  // Looked up on disk, as Node would from the fixture, rather than with require.resolve: Node
  // caches a package.json it did not find, so a resolve after `npm install` in this same
  // process would still fail.
  let directory = LAMBDA_RUNTIME_FIXTURE;
  for (;;) {
    const installed = join(directory, 'node_modules', 'aws-lambda-ric');
    if (existsSync(join(installed, 'package.json'))) {
      const native = join(installed, 'dist', 'rapid-client.node');
      return existsSync(native)
        ? { ok: true }
        : { ok: false, reason: `aws-lambda-ric's native client is missing (${native})` };
    }
    const parent = dirname(directory);
    if (parent === directory) break;
    directory = parent;
  }
  return { ok: false, reason: 'aws-lambda-ric is not installed (its native build failed or never ran)' };
}

/**
 * The Debian packages whose programs the runtime client's build needs and PATH lacks.
 *
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {string[]}
 */
export function missingBuildPackages(env = process.env) {
  return Object.entries(RUNTIME_CLIENT_BUILD_TOOLS)
    .filter(([program]) => findOnPath(program, env) === undefined)
    .map(([, pkg]) => pkg);
}

/**
 * The command that builds the runtime client on this machine.
 *
 * @param {readonly string[]} [missing] the Debian packages its build lacks
 * @returns {string}
 */
export function runtimeClientFix(missing = missingBuildPackages()) {
  return `${missing.length > 0 ? `apt-get install -y ${missing.join(' ')} && ` : ''}npm install`;
}

/** @returns {boolean} */
function canInstallDebianPackages() {
  return process.platform === 'linux' && process.getuid?.() === 0 && findOnPath('apt-get') !== undefined;
}

/**
 * @param {string} command
 * @param {readonly string[]} args
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {boolean}
 */
function run(command, args, env = process.env) {
  console.log(`$ ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: REPO_ROOT, env });
  return result.status === 0;
}

/**
 * @param {readonly string[]} packages
 * @param {string} why
 * @returns {boolean}
 */
function installDebianPackages(packages, why) {
  console.log(`test prerequisites: installing the Debian packages ${packages.join(' ')} (${why})`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  return run('apt-get', ['update'], env) && run('apt-get', ['install', '-y', ...packages], env);
}

/**
 * @typedef {{ readonly name: string, readonly ok: boolean, readonly detail: string }} PrerequisiteResult
 */

/**
 * Makes sure the runtime interface client is built: installs the build tools when they are
 * missing and this user may, then lets npm retry the optional dependency it skipped.
 *
 * @returns {PrerequisiteResult}
 */
export function ensureRuntimeClient() {
  const name = 'Lambda runtime client (aws-lambda-ric)';
  const state = runtimeClientState();
  if (state.ok) return { name, ok: true, detail: 'built' };
  const missing = missingBuildPackages();
  const fix = runtimeClientFix(missing);
  if (missing.length > 0) {
    if (!canInstallDebianPackages())
      return {
        name,
        ok: false,
        detail: `${state.reason}; its build needs ${missing.join(', ')}. Fix: ${fix}`,
      };
    if (!installDebianPackages(missing, 'to build aws-lambda-ric, the runtime client the Lambda tests drive'))
      return { name, ok: false, detail: `installing ${missing.join(' ')} failed. Fix: ${fix}` };
  }
  // npm drops an optional dependency whose build failed; `npm install` retries it from the lockfile.
  const installed = run('npm', ['install', '--no-audit', '--no-fund']);
  const after = runtimeClientState();
  if (!after.ok)
    return { name, ok: false, detail: `${installed ? after.reason : 'npm install failed'}. Fix: ${fix}` };
  return {
    name,
    ok: true,
    detail: `built now${missing.length > 0 ? ` (installed ${missing.join(' ')})` : ''}`,
  };
}

/**
 * Makes sure a Chromium can be found the way the browser tests look for it; installs Debian's
 * when none is found and this user may (unless a variable names one that does not exist).
 *
 * @returns {PrerequisiteResult}
 */
export function ensureChromium() {
  const name = 'Chromium (viewer browser tests)';
  const lookup = findChromium();
  if (lookup.found) return { name, ok: true, detail: `${lookup.path} (${lookup.how})` };
  const namedByVariable = /^(LOOKOUT_CHROMIUM|CHROME_PATH)=/.test(lookup.reason);
  if (namedByVariable || !canInstallDebianPackages()) return { name, ok: false, detail: lookup.reason };
  if (!installDebianPackages([CHROMIUM_DEBIAN_PACKAGE], 'the browser the viewer tests drive'))
    return { name, ok: false, detail: `installing ${CHROMIUM_DEBIAN_PACKAGE} failed. ${lookup.reason}` };
  const again = findChromium();
  return again.found
    ? { name, ok: true, detail: `${again.path} (installed ${CHROMIUM_DEBIAN_PACKAGE})` }
    : { name, ok: false, detail: again.reason };
}

/** The Debian packages of the database servers the instrumentation tests start on loopback. */
export const DATABASE_SERVER_PACKAGES = /** @type {const} */ ({
  postgresql: 'postgresql',
  redis: 'redis-server',
  mariadb: 'mariadb-server',
  rabbitmq: 'rabbitmq-server',
  memcached: 'memcached',
});

/**
 * Whether PostgreSQL's server programs are installed where Debian puts them
 * (/usr/lib/postgresql/<version>/bin; they are not on PATH).
 *
 * @returns {boolean}
 */
export function hasPostgresServer() {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return false;
  return readdirSync(root).some(
    (version) =>
      existsSync(join(root, version, 'bin', 'postgres')) && existsSync(join(root, version, 'bin', 'initdb')),
  );
}

/**
 * Whether MariaDB's server and client are installed (`mariadbd` is in /usr/sbin, which a
 * non-root PATH often lacks).
 *
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {boolean}
 */
export function hasMariaDbServer(env = process.env) {
  const withSbin = { PATH: `${env.PATH ?? ''}:/usr/sbin:/usr/local/sbin` };
  return findOnPath('mariadbd', withSbin) !== undefined && findOnPath('mariadb', withSbin) !== undefined;
}

/**
 * Whether RabbitMQ's start script and the Erlang port mapper are installed (the tests run the
 * script under /usr/lib/rabbitmq, not Debian's root-only /usr/sbin wrapper).
 *
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {boolean}
 */
export function hasRabbitMqServer(env = process.env) {
  return existsSync('/usr/lib/rabbitmq/bin/rabbitmq-server') && findOnPath('epmd', env) !== undefined;
}

/**
 * The Debian packages of the database servers that are missing.
 *
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {string[]}
 */
export function missingDatabaseServerPackages(env = process.env) {
  const missing = [];
  if (!hasPostgresServer()) missing.push(DATABASE_SERVER_PACKAGES.postgresql);
  if (findOnPath('redis-server', env) === undefined) missing.push(DATABASE_SERVER_PACKAGES.redis);
  if (!hasMariaDbServer(env)) missing.push(DATABASE_SERVER_PACKAGES.mariadb);
  if (!hasRabbitMqServer(env)) missing.push(DATABASE_SERVER_PACKAGES.rabbitmq);
  if (findOnPath('memcached', env) === undefined) missing.push(DATABASE_SERVER_PACKAGES.memcached);
  return missing;
}

/**
 * Makes sure PostgreSQL, Redis, MariaDB, RabbitMQ and memcached are installed (the tests start their own servers, on
 * loopback, in temporary folders; nothing here starts a system service); installs Debian's
 * packages when they are missing and this user may.
 *
 * @returns {PrerequisiteResult}
 */
export function ensureDatabaseServers() {
  const name = 'PostgreSQL, Redis, MariaDB, RabbitMQ and memcached servers (contrib instrumentation tests)';
  const missing = missingDatabaseServerPackages();
  if (missing.length === 0) return { name, ok: true, detail: 'installed' };
  const fix = `apt-get update && apt-get install -y ${missing.join(' ')}`;
  if (!canInstallDebianPackages())
    return {
      name,
      ok: false,
      detail: `${missing.join(', ')} missing, and installing Debian packages needs root with apt-get (this user is not root or has no apt-get). Fix, as root: ${fix}`,
    };
  if (
    !installDebianPackages(
      missing,
      'the servers the pg, knex, redis, ioredis, mysql2, mysql, amqplib and memcached instrumentation tests run against',
    )
  )
    return { name, ok: false, detail: `installing ${missing.join(' ')} failed. Fix: ${fix}` };
  const still = missingDatabaseServerPackages();
  return still.length === 0
    ? { name, ok: true, detail: `installed now (${missing.join(' ')})` }
    : { name, ok: false, detail: `${still.join(', ')} still missing after installing. Fix: ${fix}` };
}

/**
 * Every prerequisite, each ensured in turn.
 *
 * @returns {PrerequisiteResult[]}
 */
export function ensureTestPrerequisites() {
  return [ensureRuntimeClient(), ensureChromium(), ensureDatabaseServers()];
}
