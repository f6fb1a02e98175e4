import path from 'node:path';
import { ESLint } from 'eslint';

/**
 * The onion's arrows are checked, not remembered: these run the project's real ESLint config on code
 * placed (virtually) in each ring and assert that inward imports pass and outward ones fail.
 */
// the config is required here (ESLint's own loader uses a dynamic import, which Jest's VM cannot run)
// eslint-disable-next-line @typescript-eslint/no-require-imports
const projectConfig = require('../../../eslint.config.js');
const eslint = new ESLint({ cwd: path.resolve(__dirname, '../../..'), overrideConfigFile: true, overrideConfig: projectConfig });

async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('lint keeps the onion pointing inward', () => {
  it('fails when domain imports infrastructure', async () => {
    const messages = await restrictedImports(
      'src/domain/model/leaky.ts',
      "import { WinstonLogger } from '../../infrastructure/logging';\nexport const x = WinstonLogger;\n",
    );
    expect(messages.join('\n')).toMatch(/domain must not import outer rings/);
  });

  it('fails when domain imports a package or a Node built-in', async () => {
    expect(await restrictedImports('src/domain/model/leaky.ts', "import { z } from 'zod';\nexport const x = z;\n")).not.toHaveLength(0);
    expect(await restrictedImports('src/domain/model/leaky.ts', "import fs from 'node:fs';\nexport const x = fs;\n")).not.toHaveLength(0);
  });

  it('fails when application imports infrastructure or a library', async () => {
    const viaPath = await restrictedImports(
      'src/application/jobs/leaky.ts',
      "import { MlflowTracker } from '../../infrastructure/tracking/mlflow';\nexport const x = MlflowTracker;\n",
    );
    expect(viaPath.join('\n')).toMatch(/application must not import infrastructure/);
    const viaPackage = await restrictedImports('src/application/jobs/leaky.ts', "import axios from 'axios';\nexport const x = axios;\n");
    expect(viaPackage.join('\n')).toMatch(/adapters come through ports/);
  });

  it('allows the inward arrows: application → domain and node: built-ins, domain → domain', async () => {
    expect(
      await restrictedImports(
        'src/application/jobs/fine.ts',
        "import { readFile } from 'node:fs/promises';\nimport type { ITracker } from '../../domain/ports/tracker';\nexport type T = ITracker;\nexport const r = readFile;\n",
      ),
    ).toEqual([]);
    expect(
      await restrictedImports('src/domain/ports/fine.ts', "import type { Run } from '../model/run';\nexport type R = Run;\n"),
    ).toEqual([]);
  });

  it('fails when infrastructure imports the CLI', async () => {
    const messages = await restrictedImports(
      'src/infrastructure/config/leaky.ts',
      "import { main } from '../../cli/main';\nexport const x = main;\n",
    );
    expect(messages.join('\n')).toMatch(/must not import the CLI/);
  });
});
