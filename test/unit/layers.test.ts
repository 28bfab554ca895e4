// The layer rules of eslint.config.mjs, exercised: each deliberately wrong import is refused
// with its rule, and the allowed direction passes. Every case is written where it would stand
// (a uniquely named file, removed after) and all are linted in ONE ESLint run: starting ESLint
// per case took over 5 s on a loaded machine.
import fs from "node:fs";
import path from "node:path";
import { ESLint } from "eslint";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

const WRONG: [file: string, code: string, rule: string][] = [
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
  [
    "lib/collector/x.ts",
    'import { getState } from "../services/state";\nexport const x = getState;\n',
    "import/no-restricted-paths",
  ],
  [
    "lib/services/x.ts",
    'import type { Db } from "../db";\nexport const x = (db: Db) => db.poll.findMany();\n',
    "no-restricted-syntax",
  ],
  [
    "lib/services/x.ts",
    'import { getDb } from "../db";\nexport const x = () => getDb().$transaction(async () => 1);\n',
    "no-restricted-syntax",
  ],
  [
    "lib/collector/x.ts",
    'import { PrismaClient } from "../generated/prisma/client";\nexport const x = PrismaClient;\n',
    "import/no-restricted-paths",
  ],
  [
    "lib/services/x.ts",
    'import { PrismaPg } from "@prisma/adapter-pg";\nexport const x = PrismaPg;\n',
    "import/no-restricted-paths",
  ],
];

const ALLOWED: [file: string, code: string][] = [
  ["lib/core/x.ts", 'import { parsePort } from "./ports";\nexport const x = parsePort;\n'],
  ["lib/contracts/x.ts", 'import type { Finding } from "../core/types";\nexport type X = Finding;\n'],
  ["lib/services/x.ts", 'import { evaluateAt } from "./evaluate";\nexport const x = evaluateAt;\n'],
  ["lib/sim/x.ts", 'import Docker from "dockerode";\nexport const x = Docker;\n'],
  ["lib/store/x.ts", 'import type { Db } from "../db";\nexport const x = (db: Db) => db.poll.findMany();\n'],
];

/** Where a case is written: its folder and extension, a name of its own (private in app/). */
function placeOf(file: string, i: number): string {
  const tag = `layers-${process.pid}-${i}`;
  if (file.startsWith("app/")) return path.join("app", `_${tag}`, path.basename(file));
  return path.join(path.dirname(file), `__${tag}${path.extname(file)}`);
}

const cases = [...WRONG.map(([f, c]) => [f, c] as const), ...ALLOWED];
const placed = cases.map(([file], i) => placeOf(file, i));
let rules = new Map<string, string[]>();

beforeAll(async () => {
  cases.forEach(([, code], i) => {
    fs.mkdirSync(path.dirname(placed[i]!), { recursive: true });
    fs.writeFileSync(placed[i]!, code);
  });
  try {
    const results = await new ESLint({ cwd: process.cwd() }).lintFiles(placed);
    rules = new Map(
      results.map((r) => [
        path.relative(process.cwd(), r.filePath),
        r.messages.map((m) => m.ruleId ?? m.message),
      ]),
    );
  } finally {
    removeCases();
  }
}, 120_000);

function removeCases(): void {
  for (const p of placed) {
    fs.rmSync(p, { force: true });
    if (p.startsWith("app/")) fs.rmSync(path.dirname(p), { recursive: true, force: true });
  }
}
afterAll(removeCases);

describe("layers the linter enforces", () => {
  test.each(WRONG.map(([file, code, rule], i) => [file, rule, i, code] as const))(
    "%s: a wrong import is refused (%s, case %#)",
    (_file, rule, i) => {
      expect(rules.get(placed[i]!)).toContain(rule);
    },
  );

  test.each(ALLOWED.map(([file, code], i) => [file, WRONG.length + i, code] as const))(
    "%s: an allowed import passes (%#)",
    (_file, i) => {
      expect(rules.get(placed[i]!)).toEqual([]);
    },
  );
});
