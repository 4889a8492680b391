import { describe } from 'vitest';
import { ODOO_DOCS } from './corpus.js';
import { retrievalSuite } from './suite.js';

// Floors just under what the current tuning measures (see retrieval/README.md); a drop below them is a regression.
describe('retrieval over ../shared/corpus/odoo-docs', () => {
  retrievalSuite('odoo-docs', ODOO_DOCS, { hit5: 0.95, refusal: 0.9, maxFalseRefusal: 0.05 });
});
