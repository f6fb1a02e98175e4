import type { ServerResponse } from 'node:http';
import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import type { JobResult, ModelInput } from 'mlops-kit';
import { InjectRuntime } from 'mlops-kit/nest';
import type { AppRuntime } from './app-jobs';

type JsonBody = Record<string, unknown>;

@Controller()
export class ModelsController {
  constructor(@InjectRuntime() private readonly runtime: AppRuntime) {}

  /** Request bodies come from outside: `runConfig` validates them (a bad one is a ConfigError, a 400 naming the key). */
  @Post('train')
  @HttpCode(200)
  train(@Body() body: JsonBody, @Res({ passthrough: true }) res: ServerResponse): Promise<JobResult> {
    return this.runtime.runConfig({ ...body, KIND: 'TrainingJob' }, { signal: signalOf(res) });
  }

  @Post('promote')
  @HttpCode(200)
  promote(@Body() body: JsonBody, @Res({ passthrough: true }) res: ServerResponse): Promise<JobResult> {
    return this.runtime.runConfig({ ...body, KIND: 'PromotionJob' }, { signal: signalOf(res) });
  }

  /** Any registered kind, the app's own included. */
  @Post('jobs/:kind')
  @HttpCode(200)
  run(@Param('kind') kind: string, @Body() body: JsonBody, @Res({ passthrough: true }) res: ServerResponse): Promise<JobResult> {
    return this.runtime.runConfig({ ...body, KIND: kind }, { signal: signalOf(res) });
  }

  /** Code-built configs are checked at compile time: `times: 'x'` or a misspelt field does not compile. */
  @Post('greet/:name')
  @HttpCode(200)
  greet(@Param('name') name: string): Promise<{ greeting: string }> {
    return this.runtime.run({ KIND: 'GreetJob', name, times: 1 });
  }

  /** One predictor per model, made on first request and shared after: it follows the Champion alias. */
  @Post('predict/:model')
  @HttpCode(200)
  async predict(@Param('model') model: string, @Body() body: { dataframe_records?: ModelInput }) {
    const predictor = this.runtime.predictor(`models:/${model}@Champion`);
    const { predictions, version } = await predictor.predict(body.dataframe_records ?? []);
    return { model, version, predictions };
  }
}

/** Aborted when the client goes away before its answer: the job is cancelled and its runs end KILLED. */
function signalOf(res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  res.on('close', () => res.writableFinished || controller.abort('client went away'));
  return controller.signal;
}
