/** The streams and environment a CLI run may touch; tests pass buffers, bin.ts passes the process's. */
export interface CliIo {
  stdout: { write(chunk: string): unknown; isTTY?: boolean };
  stderr: { write(chunk: string): unknown; isTTY?: boolean };
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** Standard input, for commands that read it (`warden scan -`). */
  stdin?: NodeJS.ReadableStream;
}

/** Captures output in memory: `const io = memoryIo(); await run(argv, io); io.out()`. */
export function memoryIo(options: { cwd?: string; env?: Record<string, string | undefined> } = {}) {
  let out = '';
  let err = '';
  const io: CliIo & { out(): string; err(): string } = {
    stdout: { write: (c: string) => (out += c) },
    stderr: { write: (c: string) => (err += c) },
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    out: () => out,
    err: () => err,
  };
  return io;
}
