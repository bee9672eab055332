// Scenario g, one sample: the installed size of what one peer needs.
//
//   node benchmarks/workers/footprint.mjs --variant <name> --result <file> [--quick]
//
// `npm ci` in a temporary project of the peer's packages at the versions this repository's
// lockfile holds (Lookout itself as the tarball `npm pack` makes of the built package), with a
// lockfile cut from this repository's (benchmarks/lib/lockfile-subset.mjs), from the local npm
// cache only (`--offline`: a package missing from the cache fails the run), install scripts
// off; then the apparent size of every file under node_modules is summed. Results are cached
// in node_modules/.cache/lookout-bench/ keyed by the peer, its exact package specs (for
// Lookout the tarball's SHA-256), and the npm and Node versions, so repeated runs are quick.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildLayer } from '../../layer/build-layer.mjs';
import { subsetLockfile } from '../lib/lockfile-subset.mjs';
import { npmEnv, packLookout } from '../lib/lookout-tarball.mjs';
import { measureTree } from '../lib/measure-tree.mjs';
import { ROOT } from '../lib/paths.mjs';
import { getPeer, pinnedVersion } from '../lib/peers.mjs';
import { parseWorkerArgs, runWorker, writeResult } from '../lib/worker.mjs';

const CACHE_FILE = join(ROOT, 'node_modules', '.cache', 'lookout-bench', 'footprint.json');

function npm(args, cwd) {
  return execFileSync('npm', args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    // The harness may run under `npm run`, whose npm_config_* variables would leak in.
    env: npmEnv(),
  });
}

function readCache() {
  try {
    return JSON.parse(readFileSync(CACHE_FILE, 'utf8'));
  } catch {
    return {};
  }
}

function writeCache(cache) {
  mkdirSync(join(CACHE_FILE, '..'), { recursive: true });
  writeFileSync(CACHE_FILE, `${JSON.stringify(cache, null, 2)}\n`);
}

/**
 * The Lambda layer's footprint: the zip as built from dist/ (what a layer version stores), and
 * the size of what Lambda extracts into /opt.
 */
async function measureLayer(result) {
  const work = mkdtempSync(join(tmpdir(), 'lookout-footprint-layer-'));
  try {
    const { out, bytes, files } = await buildLayer({ out: join(work, 'layer.zip'), log: () => {} });
    const extracted = measureZipEntries(readFileSync(out));
    writeResult(result, {
      metrics: { layerZipBytes: bytes, installedBytes: extracted.bytes, files, packages: extracted.packages },
      details: { built: 'layer/build-layer.mjs from dist/' },
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Total uncompressed size and package count of a zip's entries, from its central directory. */
function measureZipEntries(zip) {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  let offset = zip.readUInt32LE(end + 16);
  let bytes = 0;
  const packages = new Set();
  for (let index = zip.readUInt16LE(end + 10); index > 0; index--) {
    bytes += zip.readUInt32LE(offset + 24);
    const nameLength = zip.readUInt16LE(offset + 28);
    const name = zip.toString('utf8', offset + 46, offset + 46 + nameLength);
    const match = /^nodejs\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(name);
    if (match !== null) packages.add(match[1]);
    offset += 46 + nameLength + zip.readUInt16LE(offset + 30) + zip.readUInt16LE(offset + 32);
  }
  return { bytes, packages: packages.size };
}

runWorker(async () => {
  const { variant, result } = parseWorkerArgs();
  if (variant === 'lookout-layer') {
    await measureLayer(result);
    return;
  }
  const peer = getPeer(variant);
  if (peer.install.length === 0) throw new Error(`variant ${variant} installs nothing; it has no footprint`);
  const work = mkdtempSync(join(tmpdir(), 'lookout-footprint-'));
  try {
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8'));
    const specs = [];
    const names = [];
    const extra = [];
    for (const name of peer.install) {
      if (name === 'lookout') {
        // The tarball of the built package: dist/ must be current, which `npm run bench` ensures.
        const packed = packLookout(work);
        extra.push(packed.lockfileRoot);
        specs.push({ spec: packed.tarball, key: `lookout@${packed.version}#sha256:${packed.sha256}` });
      } else {
        const spec = `${name}@${pinnedVersion(name)}`;
        names.push(name);
        specs.push({ spec, key: spec });
      }
    }
    const npmVersion = npm(['--version'], work).trim();
    const key = [
      variant,
      ...specs.map((entry) => entry.key),
      `npm@${npmVersion}`,
      `node@${process.versions.node}`,
    ].join(' ');
    const cache = readCache();
    let measured = cache[key];
    let mode = 'cached';
    if (measured === undefined) {
      const prefix = join(work, 'install');
      mkdirSync(prefix);
      // The peer's packages at the versions this repository's lockfile holds, laid out as
      // there, installed by `npm ci` from the npm cache only (`--offline`): benchmarks send no
      // traffic off the machine, and after `npm ci` every package of the lockfile is cached.
      const { manifest, lockfile } = subsetLockfile(lock, names, extra);
      writeFileSync(join(prefix, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
      writeFileSync(join(prefix, 'package-lock.json'), `${JSON.stringify(lockfile, null, 2)}\n`);
      npm(['ci', '--offline', '--ignore-scripts', '--no-audit', '--no-fund'], prefix);
      mode = 'offline';
      measured = measureTree(join(prefix, 'node_modules'));
      cache[key] = measured;
      writeCache(cache);
    }
    writeResult(result, {
      metrics: { installedBytes: measured.bytes, files: measured.files, packages: measured.packages },
      details: { installed: specs.map((entry) => entry.key), npm: npmVersion, source: mode },
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
