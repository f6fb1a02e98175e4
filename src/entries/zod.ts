/**
 * `mlops-kit/zod`: the zod that mlops-kit is built with (a dependency, v4). Write your `defineJob`
 * schemas with this `z`, so they are always the zod types `defineJob` expects, whatever zod (if any)
 * your app installs and however its package manager lays out `node_modules` (pnpm's strict layout
 * included). An app may use its own zod instead only if that is zod ^4 (`import { z } from 'zod'`);
 * zod 3, `zod/v4` from zod 3.x or `zod/mini` schemas do not fit `defineJob`. A subpath, not the root,
 * so `import 'mlops-kit'` keeps loading no zod until a container is built.
 *
 * @example
 * import { defineJob } from 'mlops-kit';
 * import { z } from 'mlops-kit/zod';
 * const HelloJobSchema = z.strictObject({ KIND: z.literal('HelloJob'), name: z.string().default('world') });
 * export const HelloJobDefinition = defineJob({ kind: 'HelloJob', description: 'Says hello.', schema: HelloJobSchema, uses: [], create: (context, config) => new HelloJob(context, config) });
 *
 * @packageDocumentation
 */
export { z } from 'zod';
