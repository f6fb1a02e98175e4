/** Token of the validated AppConfig inside the container (the composition root's own business). */
export const CONFIG = Symbol.for('mlops-kit.Config');

/** Token of the container's one JobRuntime. */
export const RUNTIME = Symbol.for('mlops-kit.Runtime');
