import { Controller, Get, HttpException, type INestApplication, Param, Post, Body } from '@nestjs/common';
import { APP_FILTER, HttpAdapterHost } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { ErrorCodes, HTTP_STATUS_BY_CODE, MlopsError, type ErrorCode } from 'mlops-kit';
import { MlopsExceptionFilter } from 'mlops-kit/nest';

@Controller()
class ThrowingController {
  @Get('mlops/:code')
  mlops(@Param('code') code: ErrorCode): never {
    throw new MlopsError(code, `failed with ${code}`);
  }

  /** An mlops-kit error from another copy of the package: not our class, but our code. */
  @Get('foreign')
  foreign(): never {
    throw Object.assign(new Error('Registered model "churn" not found.'), { code: ErrorCodes.MODEL_NOT_FOUND });
  }

  @Get('http')
  http(): never {
    throw new HttpException({ reason: 'teapot' }, 418);
  }

  @Get('bug')
  bug(): never {
    throw new TypeError('x is undefined');
  }

  @Post('echo')
  echo(@Body() body: unknown): unknown {
    return body;
  }
}

type Registration = 'APP_FILTER' | 'useGlobalFilters with the adapter' | 'useGlobalFilters without the adapter';

async function appWith(registration: Registration): Promise<{ app: INestApplication; url: string }> {
  const moduleRef = await Test.createTestingModule({
    controllers: [ThrowingController],
    providers: registration === 'APP_FILTER' ? [{ provide: APP_FILTER, useClass: MlopsExceptionFilter }] : [],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  if (registration === 'useGlobalFilters with the adapter') app.useGlobalFilters(new MlopsExceptionFilter(app.get(HttpAdapterHost).httpAdapter));
  if (registration === 'useGlobalFilters without the adapter') app.useGlobalFilters(new MlopsExceptionFilter());
  await app.listen(0, '127.0.0.1');
  return { app, url: await app.getUrl() };
}

const get = (url: string) => fetch(url).then(async (r) => ({ status: r.status, type: r.headers.get('content-type'), body: (await r.json()) as unknown }));

describe.each<Registration>(['APP_FILTER', 'useGlobalFilters with the adapter', 'useGlobalFilters without the adapter'])('MlopsExceptionFilter registered by %s', (registration) => {
  let app: INestApplication;
  let url: string;
  beforeAll(async () => {
    ({ app, url } = await appWith(registration));
  });
  afterAll(() => app?.close());

  it('answers every error code with its status from HTTP_STATUS_BY_CODE and { statusCode, code, message }', async () => {
    const codes = Object.values(ErrorCodes);
    const answers = await Promise.all(codes.map((code) => get(`${url}/mlops/${code}`)));
    expect(answers.map((a) => [a.status, a.body])).toEqual(codes.map((code) => [HTTP_STATUS_BY_CODE[code], { statusCode: HTTP_STATUS_BY_CODE[code], code, message: `failed with ${code}` }]));
    expect(answers[0]!.type).toMatch(/^application\/json/);
  });

  it('recognizes an mlops-kit error by its code, whichever copy of the package threw it', async () => {
    expect(await get(`${url}/foreign`)).toMatchObject({ status: 404, body: { statusCode: 404, code: 'MODEL_NOT_FOUND', message: 'Registered model "churn" not found.' } });
  });
});

describe.each<Registration>(['APP_FILTER', 'useGlobalFilters with the adapter'])('other exceptions keep Nest’s default handling (%s)', (registration) => {
  let app: INestApplication;
  let url: string;
  beforeAll(async () => {
    ({ app, url } = await appWith(registration));
  });
  afterAll(() => app?.close());

  it('an HttpException keeps its status and body', async () => {
    expect(await get(`${url}/http`)).toMatchObject({ status: 418, body: { reason: 'teapot' } });
  });

  it('a bug is a 500 that says nothing of it', async () => {
    expect(await get(`${url}/bug`)).toMatchObject({ status: 500, body: { statusCode: 500, message: 'Internal server error' } });
  });

  it("a body the platform cannot parse is the platform's 400", async () => {
    const response = await fetch(`${url}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"model":' });
    expect(response.status).toBe(400);
  });
});
