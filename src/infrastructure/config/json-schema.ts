import { z } from 'zod';
import { acceptsSubstitutedText } from '../../application/jobs/schemas/fields';
import type { JobRegistry } from '../../application/jobs/job-registry';
import { BUILTIN_JOB_REGISTRY } from './job-schemas';
import { appConfigSchema } from './schema';

/** What a `${VAR}` placeholder looks like to an editor: text that contains one. */
const PLACEHOLDER = { type: 'string', pattern: '\\$\\{[A-Za-z_][A-Za-z0-9_]*(:-[^}]*)?\\}' };
const KEEP_OUTSIDE = ['default', 'description', 'title'] as const;

/**
 * The configuration's JSON Schema (draft 2020-12), printed by `mlops-kit schema` so editors can
 * validate and complete config files. It describes the input side: fields with defaults are optional,
 * and boolean/number fields also accept a `${VAR}` placeholder (the loader coerces what it expands to).
 * Rules JSON Schema cannot express (alias rules, "variants or grid") are checked only by the loader.
 *
 * @example
 * // .vscode/settings.json: "yaml.schemas": { "./mlops-kit.schema.json": "conf/*.yaml" }
 * fs.writeFileSync('mlops-kit.schema.json', JSON.stringify(configJsonSchema(), null, 2));
 * // with an app's own kinds: configJsonSchema(new JobRegistry([...BUILTIN_JOBS, HelloJobDefinition]))
 */
export function configJsonSchema(jobs: JobRegistry = BUILTIN_JOB_REGISTRY): Record<string, unknown> {
  const schema = z.toJSONSchema(appConfigSchema(jobs), {
    io: 'input',
    target: 'draft-2020-12',
    unrepresentable: 'any',
    override: ({ zodSchema, jsonSchema }) => {
      if (!acceptsSubstitutedText(zodSchema)) return;
      const typed: Record<string, unknown> = { ...jsonSchema };
      const outside: Record<string, unknown> = {};
      for (const key of KEEP_OUTSIDE) {
        if (key in typed) outside[key] = typed[key];
        delete typed[key];
      }
      for (const key of Object.keys(jsonSchema)) delete (jsonSchema as Record<string, unknown>)[key];
      Object.assign(jsonSchema, { anyOf: [typed, PLACEHOLDER] }, outside);
    },
  });
  return {
    ...schema,
    title: 'mlops-kit configuration',
    description: 'app, logging, alerts, tracking and one job (chosen by job.KIND). String values may use ${VAR} or ${VAR:-default}.',
  };
}
