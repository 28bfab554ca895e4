export declare const schemaPath: string;
export declare const migrationsDir: string;
export declare const postgresSchemaPath: string;
export declare const postgresMigrationsDir: string;
export declare function applyMigrations(
  databaseUrl: string,
  opts?: { upTo?: string | null },
): Promise<string[]>;
export declare function diffSchemas(fromText: string | null, toText: string): Promise<string>;
export declare function secureSqliteFile(file: string, log?: (line: string) => void): void;
