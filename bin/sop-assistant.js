#!/usr/bin/env node
// Loads the TypeScript CLI through tsx's loader in this same process, so signals (SIGTERM on shutdown) reach it
// directly and the package works without a build step.
import { register } from 'tsx/esm/api';

register();
await import('../app/main.ts');
