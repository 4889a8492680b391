import { describe, expect, it } from 'vitest';
import type { Reply } from '../../assistant/reply.js';
import { renderReplyForTerminal } from './render.js';

const reply: Reply = {
  question: 'how do I raise an urgent requisition',
  answered: true,
  lead: 'From **Ward Supply Requisitions** › Urgent requisitions:',
  body: '1. Set the **Priority** star.\n2. Phone Central Stores on extension 4410.',
  steps: ['Set the **Priority** star.', 'Phone Central Stores on extension 4410.'],
  citations: [
    {
      source: 'Inventory/ward-requisitions.md',
      title: 'Ward Supply Requisitions',
      section: 'Urgent requisitions',
      url: null,
    },
  ],
  related: [],
  confidence: 0.91,
  actions: [],
  scope: { kind: 'personal' },
  auditId: 'a-1',
  latencyMs: 12.4,
};

describe('renderReplyForTerminal', () => {
  it('prints lead, verbatim steps and sources without Markdown marks', () => {
    const text = renderReplyForTerminal(reply);
    expect(text).toContain('From Ward Supply Requisitions › Urgent requisitions:');
    expect(text).toContain('1. Set the Priority star.');
    expect(text).toContain(
      '[1] Ward Supply Requisitions › Urgent requisitions — Inventory/ward-requisitions.md',
    );
    expect(text).not.toContain('\u001b[');
  });

  it('shows the next steps of a refusal', () => {
    const text = renderReplyForTerminal({
      ...reply,
      answered: false,
      lead: "I couldn't find this in the SOPs you can read.",
      body: '',
      steps: [],
      citations: [],
      actions: [{ kind: 'ask-super-user', label: 'Ask a super user' }],
    });
    expect(text).toContain('Next steps');
    expect(text).toContain('• Ask a super user');
    expect(text).not.toContain('Sources');
    expect(text).not.toContain('Closest SOPs');
  });

  it('lists the closest readable SOPs of a refusal, labelled, with no passage text', () => {
    const text = renderReplyForTerminal({
      ...reply,
      answered: false,
      lead: "I couldn't find this in the SOPs you can read. The closest SOPs you can read are listed below.",
      body: '',
      steps: [],
      citations: [],
      related: [
        { source: 'Inventory/ward-requisitions.md', title: 'Ward Supply Requisitions', section: 'Urgent requisitions', url: null },
        { source: 'odoo:documents.document/7', title: 'Returns', section: '', url: 'https://odoo.example/odoo/documents.document/7' },
      ],
      actions: [{ kind: 'ask-super-user', label: 'Ask a super user' }],
    });
    expect(text).toContain('Closest SOPs you can read');
    expect(text).toContain('  • Ward Supply Requisitions › Urgent requisitions — Inventory/ward-requisitions.md');
    expect(text).toContain('  • Returns — odoo:documents.document/7 (https://odoo.example/odoo/documents.document/7)');
    expect(text.indexOf('Closest SOPs')).toBeLessThan(text.indexOf('Next steps'));
    expect(text).not.toContain('Sources');
    expect(text).not.toContain('Phone Central Stores');
  });
});
