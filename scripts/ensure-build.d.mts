export declare function buildFingerprint(): string;
export declare function ensureBuild(opts?: { force?: boolean }): boolean;
