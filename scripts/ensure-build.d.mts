export declare function buildFingerprint(): string;
export declare function buildIsCurrent(): boolean;
export declare function build(): void;
export declare function ensureBuild(opts?: { force?: boolean }): boolean;
