import { defineJob, Job, type JobContext } from 'mlops-kit';
import { z } from 'mlops-kit/zod'; // the zod defineJob is built with, whatever the app installs

// An app's own job kind: the schema is the single source of its config type and defaults.
const GreetJobSchema = z.strictObject({
  KIND: z.literal('GreetJob'),
  name: z.string().min(1).describe('Who to greet.'),
  times: z.number().int().min(1).max(10).default(1),
});

export class GreetJob extends Job<{ greeting: string }> {
  readonly kind = 'GreetJob';

  constructor(context: JobContext, private readonly config: z.output<typeof GreetJobSchema>) {
    super(context);
  }

  protected async run() {
    const greeting = Array(this.config.times).fill(`hello ${this.config.name}`).join(', ');
    await this.services.alerter.notify('Greeted', greeting);
    return { greeting };
  }
}

export const GreetJobDefinition = defineJob({
  kind: 'GreetJob',
  description: 'Greets someone: an app-defined job kind.',
  schema: GreetJobSchema,
  uses: [], // no tracker, no registry: the runtime starts neither for it
  create: (context, config) => new GreetJob(context, config),
});
