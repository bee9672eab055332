// Preloaded by benchmarks/decisions/request-profile.mjs: exits normally on SIGINT so that
// `node --cpu-prof` writes its profile (a process killed by a signal writes none).
process.on('SIGINT', () => process.exit(0));
