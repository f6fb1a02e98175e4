import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';

// Boot: the module starts the runtime (and the registry) before the app listens; SIGTERM closes it with its deadline.
async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(AppModule);
  app.enableShutdownHooks();
  await app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
  process.stdout.write(`listening on ${await app.getUrl()}\n`);
}

void bootstrap();
