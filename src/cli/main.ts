import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CliError, type CliCommand, type Io } from './command.js';
import { conflictsCommand } from './conflicts.js';
import { diagramCommand } from './diagram.js';
import { outboxCommand } from './outbox.js';
import { replayCommand } from './replay.js';
import { stateCommand } from './state.js';

/** Every subcommand, in the order `--help` lists them. */
const COMMANDS: readonly CliCommand[] = [
  replayCommand,
  stateCommand,
  outboxCommand,
  conflictsCommand,
  diagramCommand,
];

function usage(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  const list = COMMANDS.map(
    (command) => `  ${command.name.padEnd(width)}  ${command.summary}`,
  ).join('\n');

  return `Usage: lienthong <command> [options]

The sync between MISA AMIS Bán hàng (CRM) and AMIS Kế toán (ACT): events from
either app in, results and commands for the other app out.

Commands:
${list}

Options:
  -h, --help     Show this help, or a command's with lienthong <command> --help
  -v, --version  Show the version

Example:
  lienthong replay examples/sales-order-lifecycle.jsonl
`;
}

/** The process's own streams. */
function processIo(): Io {
  // A reader that went away (`| head`) is not an error: stop writing to it,
  // but finish the run so that a --db store still gets every event.
  let closed = false;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (!closed && error.code !== 'EPIPE') {
      process.stderr.write(
        `lienthong: cannot write to stdout: ${error.message}\n`,
      );
      // An I/O error (a full disk…), unlike a reader that left: exit 2.
      process.exitCode = 2;
    }
    closed = true;
  });

  return {
    out: (text) => {
      if (!closed) process.stdout.write(text);
    },
    err: (text) => {
      process.stderr.write(text);
    },
    stdin: process.stdin,
    errIsTTY: process.stderr.isTTY === true,
    ...(process.stdout.isTTY ? { outColumns: process.stdout.columns } : {}),
  };
}

/** The version in the package.json next to this code, src or dist. */
function version(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'lienthong' && pkg.version) return pkg.version;
    }

    const parent = path.dirname(dir);
    if (parent === dir) return 'unknown';
    dir = parent;
  }
}

/**
 * Runs the `lienthong` command line and returns its exit code: 0 done, 1
 * `--strict` found problems, 2 usage or I/O error (told in one stderr line).
 *
 * @example
 * process.exitCode = await main(['replay', 'log.jsonl', '--json']);
 */
export async function main(
  argv: string[],
  io: Io = processIo(),
): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // One line, never a stack: the message is all a user can act on.
    const line = message.split('\n')[0] ?? message;
    const prefix = error instanceof CliError ? '' : 'unexpected error: ';
    io.err(`lienthong: ${prefix}${line}\n`);

    return 2;
  }
}

async function dispatch(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h') {
    io.out(usage());

    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    io.out(`${version()}\n`);

    return 0;
  }

  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (!command) {
    const what = name.startsWith('-') ? 'option' : 'command';

    throw new CliError(`unknown ${what} '${name}' (see lienthong --help)`);
  }

  // Every command's --help, here once: it wins over any other argument.
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(command.usage);

    return 0;
  }

  return command.run(rest, io);
}
