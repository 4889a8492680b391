import { describe } from 'vitest';
import { DEMO_HOSPITAL } from './corpus.js';
import { retrievalSuite } from './suite.js';

// Floors just under what the current tuning measures (see retrieval/README.md); a drop below them is a regression.
describe('retrieval over the demo hospital library', () => {
  retrievalSuite('demo-hospital', DEMO_HOSPITAL, { hit5: 0.9, refusal: 0.85, maxFalseRefusal: 0.07 });
});
