/**
 * A small fake of OUR AssistantPort for surface tests (the surface is under test, not retrieval): a few documents with
 * ACLs and keywords; a question is answered from the first readable document whose keyword it contains, else refused.
 * Access uses the same overlap rule as the SQL (`acl && principals`), so policy tests are meaningful.
 */
import type { AskOptions } from '../../assistant/index.js';
import type { Asker, Conversation, Reply } from '../../assistant/reply.js';
import type { AssistantPort } from '../../bot/shared/assistant-port.js';

export interface FakeDoc {
  source: string;
  title: string;
  acl: string[];
  keyword: string;
  body: string;
}

export const FAKE_DOCS: FakeDoc[] = [
  { source: 'Inventory/receipts.md', title: 'Receiving deliveries', acl: ['role:ward-supply-coordinator', 'role:procurement-officer'], keyword: 'delivery', body: '1. Open the receipt.\n2. Set the received quantity.\n3. Validate and create a backorder.' },
  { source: 'Pharmacy/controlled.md', title: 'Controlled drug returns', acl: ['role:pharmacy-support'], keyword: 'controlled', body: 'Return controlled drugs with two signatures.' },
  { source: 'General/login.md', title: 'Logging in to Odoo', acl: ['public', 'role:ward-supply-coordinator', 'role:pharmacy-support'], keyword: 'login', body: 'Use your hospital account to log in.' },
];

export class FakeAssistant implements AssistantPort {
  readonly asks: { question: string; asker: Asker; conversation: Conversation | undefined }[] = [];
  readonly feedbacks: { auditId: string; helpful: boolean; asker: Asker; comment: string | undefined }[] = [];
  failNext = false;
  private counter = 0;

  constructor(private readonly docs: FakeDoc[] = FAKE_DOCS) {}

  async ask(question: string, asker: Asker, conversation?: Conversation, options?: AskOptions): Promise<Reply> {
    this.asks.push({ question, asker, conversation });
    if (this.failNext) {
      this.failNext = false;
      throw new Error('retrieval exploded');
    }
    this.counter += 1;
    const q = [...(conversation?.previousQuestions ?? []), question].join(' ').toLowerCase();
    const readable = this.docs.filter((d) => d.acl.some((p) => asker.principals.includes(p)));
    const hits = readable.filter((d) => q.includes(d.keyword));
    const base = { question, auditId: `audit-${this.counter}`, latencyMs: 3, scope: options?.scope ?? { kind: 'personal' as const } };
    if (!hits.length) {
      return { ...base, answered: false, lead: "I couldn't find this in the SOPs you can read.", body: '', steps: [], citations: [], related: [], confidence: 0.1, actions: [{ kind: 'ask-super-user', label: 'Ask a super user' }] };
    }
    return {
      ...base,
      answered: true,
      lead: `From **${hits[0]!.title}**:`,
      body: hits[0]!.body,
      steps: [],
      citations: hits.map((d) => ({ source: d.source, title: d.title, section: '', url: `https://odoo.example/docs/${d.source}` })),
      related: [],
      confidence: 0.82,
      actions: [],
    };
  }

  async feedback(auditId: string, helpful: boolean, asker: Asker, comment?: string): Promise<void> {
    this.feedbacks.push({ auditId, helpful, asker, comment });
  }
}
