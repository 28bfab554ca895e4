// One schema source (issue 14): the PostgreSQL schema is derived from prisma/schema.prisma,
// never edited, and each database's last migration was made from the current schema.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import {
  migrationsDir,
  postgresMigrationsDir,
  postgresSchemaPath,
  postgresSchemaText,
  schemaPath,
} from "../../scripts/schema-source.mjs";

const last = (dir: string) =>
  fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .at(-1)!;

describe("one schema source for SQLite and PostgreSQL", () => {
  const sqlite = fs.readFileSync(schemaPath, "utf8");
  test("prisma/postgres/schema.prisma is exactly the derived text", () => {
    expect(fs.readFileSync(postgresSchemaPath, "utf8")).toBe(postgresSchemaText(sqlite));
  });
  test("the derivation changes the provider and the client folder only", () => {
    const pg = postgresSchemaText(sqlite);
    const models = (t: string) => t.slice(t.indexOf("\nmodel "));
    expect(models(pg)).toBe(models(sqlite));
    expect(pg).toContain('provider = "postgresql"');
    expect(pg).toContain("lib/generated/prisma-pg");
  });
  test("each database's newest migration was written from the current schema", () => {
    expect(fs.readFileSync(path.join(migrationsDir, last(migrationsDir), "schema.prisma"), "utf8")).toBe(
      sqlite,
    );
    expect(
      fs.readFileSync(path.join(postgresMigrationsDir, last(postgresMigrationsDir), "schema.prisma"), "utf8"),
    ).toBe(postgresSchemaText(sqlite));
  });
  test("a schema without the provider line is refused, not half-derived", () => {
    expect(() => postgresSchemaText("model A { id Int @id }")).toThrow(/provider/);
  });
});
