// bin/drover for tests and the demo: the same entry, run from the TypeScript source (node --import
// tsx test/support/drover-cli.ts …), so a child-process test needs no `npm run build` first.
import { main } from '../../agent/cli/main.js';

const stop = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stop.signal.aborted) process.exit(130);
    stop.abort();
  });
}

process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  logStream: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  signal: stop.signal,
});
