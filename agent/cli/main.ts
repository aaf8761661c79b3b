import { readFileSync } from 'node:fs';

/** What the CLI touches of its process, passed in so tests can run it in-process. */
export interface CliIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  env: Record<string, string | undefined>;
  cwd: string;
}

const USAGE = `drover — GitOps for Cluster API fleets

Usage:
  drover <command> [flags]

Commands:
  help              show this help

Flags:
  -h, --help        show this help
  -v, --version     print the version
`;

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** Composition root of the CLI: parses argv once and runs one command. Returns the exit code. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '-h' || command === '--help') {
    io.stdout.write(USAGE);
    return 0;
  }
  if (command === '-v' || command === '--version' || command === 'version') {
    io.stdout.write(`drover ${version()}\n`);
    return 0;
  }
  void rest;
  io.stderr.write(`drover: unknown command "${command}"\nRun 'drover --help' for usage.\n`);
  return 1;
}
