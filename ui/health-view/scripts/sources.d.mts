import type { Plugin } from "vite";
export declare const SOURCES_META: string;
export declare const SOURCE_ROOTS: string[];
export declare function sourcesFingerprint(dir: string): string;
export declare function sourcesStamp(): Plugin;
