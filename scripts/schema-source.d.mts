export declare const schemaPath: string;
export declare const migrationsDir: string;
export declare const postgresSchemaPath: string;
export declare const postgresMigrationsDir: string;
export declare function postgresSchemaText(sqliteText: string): string;
export declare function providerOf(url: string): "sqlite" | "postgresql";
