// The layer rules of eslint.config.mjs, exercised: each deliberately wrong import is refused
// with its rule, and the allowed direction passes. Lints text as if it stood at `filePath`.
import { ESLint } from "eslint";
import { describe, expect, test } from "vitest";

const eslint = new ESLint({ cwd: process.cwd() });

async function ruleIds(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

describe("layers the linter enforces", () => {
  test.each([
    [
      "lib/core/x.ts",
      'import { getDb } from "../db";\nexport const x = getDb;\n',
      "import/no-restricted-paths",
    ],
    ["lib/core/x.ts", 'import fs from "node:fs";\nexport const x = fs;\n', "no-restricted-imports"],
    [
      "lib/store/x.ts",
      'import { getDb } from "../db";\nexport const x = () => getDb().$queryRawUnsafe("SELECT julianday(\'now\')");\n',
      "no-restricted-syntax",
    ],
    ["lib/core/x.ts", 'import { z } from "zod";\nexport const x = z;\n', "no-restricted-imports"],
    [
      "lib/contracts/x.ts",
      'import { getDb } from "../db";\nexport const x = getDb;\n',
      "import/no-restricted-paths",
    ],
    [
      "components/X.tsx",
      'import { getDb } from "@/lib/db";\nexport const x = getDb;\n',
      "import/no-restricted-paths",
    ],
    [
      "lib/hooks/x.ts",
      'import { recordPoll } from "../store/polls";\nexport const x = recordPoll;\n',
      "import/no-restricted-paths",
    ],
    [
      "app/x/route.ts",
      'import { recordPoll } from "@/lib/store/polls";\nexport const x = recordPoll;\n',
      "import/no-restricted-paths",
    ],
    [
      "lib/services/x.ts",
      'import { getPhases } from "./phases";\nexport const x = getPhases;\n',
      "import/no-restricted-paths",
    ],
    [
      "lib/services/x.ts",
      'import Docker from "dockerode";\nexport const x = Docker;\n',
      "no-restricted-imports",
    ],
    [
      "lib/store/x.ts",
      'import { getPhases } from "../services/phases";\nexport const x = getPhases;\n',
      "import/no-restricted-paths",
    ],
  ])("%s: a wrong import is refused (%#)", async (file, code, rule) => {
    expect(await ruleIds(file, code)).toContain(rule);
  });

  test.each([
    ["lib/core/x.ts", 'import { parsePort } from "./ports";\nexport const x = parsePort;\n'],
    ["lib/contracts/x.ts", 'import type { Finding } from "../core/types";\nexport type X = Finding;\n'],
    ["lib/services/x.ts", 'import { evaluateAt } from "./evaluate";\nexport const x = evaluateAt;\n'],
    ["lib/sim/x.ts", 'import Docker from "dockerode";\nexport const x = Docker;\n'],
  ])("%s: an allowed import passes (%#)", async (file, code) => {
    expect(await ruleIds(file, code)).toEqual([]);
  });
});
