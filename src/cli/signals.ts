import { ExitCode } from './exit-codes';

export interface TerminationWatch {
  /** When a signal arrived: resolves with 130/143 once `onSignal` (stopping the services) is done. */
  pending(): Promise<number> | undefined;
  remove(): void;
}

/**
 * On SIGINT/SIGTERM: run `onSignal` (close the runtime at once: interrupt the job, mark its open runs
 * KILLED, flush, stop services) then exit 130/143. The
 * caller can wait for that through `pending()`, so whatever it does after the job settles never races
 * the stop. A second signal while stopping waits at most 2 s more (so the runs still end KILLED), a third
 * exits at once, so a stuck server cannot hold the terminal hostage.
 *
 * @example
 * const watch = onTerminationSignal(() => runtime.close({ deadlineMs: 0 }));
 * try { await runtime.run(job); } catch (e) { const code = await watch.pending(); if (code) return code; throw e; }
 * finally { watch.remove(); }
 */
/** How long a second signal still waits for the stop in progress before the process exits. */
const SECOND_SIGNAL_GRACE_MS = 2_000;

export function onTerminationSignal(onSignal: (signal: NodeJS.Signals) => Promise<void>): TerminationWatch {
  let stopped: Promise<number> | undefined;
  let signals = 0;
  const handler = (signal: NodeJS.Signals): void => {
    const code = signal === 'SIGINT' ? ExitCode.SIGINT : ExitCode.SIGTERM;
    signals += 1;
    // a second signal (a double Ctrl-C) still lets the runs be marked KILLED, for at most SECOND_SIGNAL_GRACE_MS;
    // a third exits at once
    if (signals === 2) {
      process.stderr.write(`mlops-kit: still stopping (marking runs KILLED); press Ctrl-C again to exit now\n`);
      setTimeout(() => process.exit(code), SECOND_SIGNAL_GRACE_MS).unref();
      return;
    }
    if (signals > 2) process.exit(code);
    process.stderr.write(`mlops-kit: received ${signal}, stopping services…\n`);
    stopped = onSignal(signal)
      .catch((error: unknown) => {
        process.stderr.write(`mlops-kit: error while stopping: ${String(error)}\n`);
      })
      .then(() => code);
    void stopped.then((exitCode) => process.exit(exitCode));
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    pending: () => stopped,
    remove: () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
