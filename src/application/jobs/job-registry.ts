import { z } from 'zod';
import { ConfigError, ErrorCodes } from '../../domain/errors';
import type { AnyJobDefinition } from './job-definition';

/**
 * The job kinds a container knows: the built-in ones plus an app's own, each defined once with
 * `defineJob`. It validates `job:` sections (a discriminated union on KIND built from every
 * definition), feeds `mlops-kit jobs` and `mlops-kit schema`, and builds jobs for the runtime.
 *
 * @example
 * const jobs = new JobRegistry([...BUILTIN_JOBS, HelloJobDefinition]);
 * jobs.kinds; // ['ExampleJob', …, 'HelloJob']
 */
export class JobRegistry<D extends AnyJobDefinition = AnyJobDefinition> {
  private readonly byKind = new Map<string, D>();
  private unionSchema: z.ZodType | undefined;

  constructor(definitions: readonly D[]) {
    for (const definition of definitions) {
      if (this.byKind.has(definition.kind)) {
        throw new ConfigError(
          `jobs: the job kind "${definition.kind}" is defined twice; give each definition its own kind.`,
          ErrorCodes.CONFIG_INVALID,
          { details: { kind: definition.kind } },
        );
      }
      this.byKind.set(definition.kind, definition);
    }
  }

  /** Every definition, built-ins first, in the order given. */
  get definitions(): readonly D[] {
    return [...this.byKind.values()];
  }

  get kinds(): readonly string[] {
    return [...this.byKind.keys()];
  }

  find(kind: string): D | undefined {
    return this.byKind.get(kind);
  }

  /** The schema of a `job:` section: one option per kind, chosen by `KIND`. */
  get schema(): z.ZodType {
    if (this.unionSchema !== undefined) return this.unionSchema;
    const options: z.ZodObject[] = this.definitions.map((d) => d.schema as z.ZodObject);
    const schema: z.ZodType = options.length === 1 ? options[0]! : z.discriminatedUnion('KIND', options as [z.ZodObject, ...z.ZodObject[]]);
    this.unionSchema = schema;
    return schema;
  }
}
