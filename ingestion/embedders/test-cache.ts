import { join } from 'node:path';

/**
 * One word-vector cache for the whole test run (and the next ones): building it from the package's JSON takes
 * seconds, reading it back well under one. It lives with the installed packages, like other tools' caches.
 */
export const TEST_CACHE_DIR = join(import.meta.dirname, '../../node_modules/.cache/sop-assistant');
