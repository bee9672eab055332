#!/usr/bin/env node
// The `lookout` command. Kept as a tiny file so the shebang stays first; the CLI itself is built into dist/.
import { runCli } from '../dist/esm/cli/main.js';

process.exitCode = await runCli(process.argv.slice(2));
