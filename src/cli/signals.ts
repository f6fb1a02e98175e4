import { ExitCode } from './exit-codes';

/**
 * On SIGINT/SIGTERM: run `onSignal` (stop services, mark open runs KILLED) then exit 130/143.
 * A second signal while stopping exits at once, so a stuck server cannot hold the terminal hostage.
 * Returns a function that removes the handlers.
 */
export function onTerminationSignal(onSignal: (signal: NodeJS.Signals) => Promise<void>): () => void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals): void => {
    const code = signal === 'SIGINT' ? ExitCode.SIGINT : ExitCode.SIGTERM;
    if (stopping) process.exit(code);
    stopping = true;
    process.stderr.write(`mlops-kit: received ${signal}, stopping services…\n`);
    onSignal(signal)
      .catch((error: unknown) => process.stderr.write(`mlops-kit: error while stopping: ${String(error)}\n`))
      .finally(() => process.exit(code));
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
