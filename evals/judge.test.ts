import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createJudge,
  fillPrompt,
  judgeCases,
  judgeUnavailableReason,
  JudgeOutputError,
  parseJudgeOutput,
} from './judge.js';
import { startFakeChatServer, type FakeChatServer } from './testing/fake-chat-server.js';

let server: FakeChatServer;

beforeAll(async () => {
  server = await startFakeChatServer();
});

afterAll(async () => {
  await server.close();
});

describe('parseJudgeOutput', () => {
  it('computes faithfulness from the claims and maps relevance 1–5 to 0..1', () => {
    const v = parseJudgeOutput(
      'Here you go:\n```json\n{"claims":[{"claim":"a","supported":true},{"claim":"b","supported":false},' +
        '{"claim":"c","supported":true},{"claim":"d","supported":true}],"relevance":4,"reason":"mostly"}\n```',
    );
    expect(v.faithfulness).toBe(0.75);
    expect(v.relevance).toBe(0.75);
    expect(v.reason).toBe('mostly');
  });
  it('gives null faithfulness for an answer without claims', () => {
    expect(parseJudgeOutput('{"claims":[],"relevance":1}')).toMatchObject({
      faithfulness: null,
      relevance: 0,
    });
  });
  it('rejects replies that are not the expected JSON', () => {
    expect(() => parseJudgeOutput('I think it is fine.')).toThrow(JudgeOutputError);
    expect(() => parseJudgeOutput('{"claims": [}')).toThrow(/not valid JSON/);
    expect(() => parseJudgeOutput('{"claims":[],"relevance":9}')).toThrow(/relevance/);
  });
});

describe('judge over the chat completions wire format', () => {
  it('is unavailable without an LLM, with a message saying what to set', () => {
    expect(judgeUnavailableReason({})).toMatch(/LLM_MODEL/);
    expect(judgeUnavailableReason({ LLM_MODEL: 'm' })).toMatch(/OPENAI_API_KEY/);
    expect(judgeUnavailableReason({ LLM_MODEL: 'm', OPENAI_BASE_URL: 'http://x/v1' })).toBeNull();
  });

  it('sends the filled, versioned prompt and parses each verdict; a bad verdict is counted, not fatal', async () => {
    server.reply(
      '{"claims":[{"claim":"Open the PO","supported":true},{"claim":"Call the CEO","supported":false}],"relevance":5,"reason":"ok"}',
      'Sorry, I cannot grade this.',
    );
    const judge = await createJudge({
      LLM_MODEL: 'judge-model',
      OPENAI_BASE_URL: server.baseUrl,
      OPENAI_API_KEY: 'sk-test',
    });
    const result = await judgeCases(judge, [
      {
        id: 'a1',
        question: 'how do I receive a PO?',
        answer: 'Open the PO. Call the CEO.',
        passages: ['Open the PO.'],
      },
      { id: 'a2', question: 'q', answer: 'a', passages: [] },
    ]);
    expect(result).toMatchObject({ model: 'judge-model', prompt: 'eval-judge.v1', judged: 1, errors: 1 });
    expect(result.faithfulness).toBe(0.5);
    expect(result.answer_relevance).toBe(1);
    expect(result.cases[1]?.error).toMatch(/no JSON object/);
    const sent = server.requests.at(-2)!;
    expect(sent.path).toBe('/v1/chat/completions');
    expect(sent.body.model).toBe('judge-model');
    expect(sent.body.messages[0]?.content).toContain('how do I receive a PO?');
    expect(sent.body.messages[0]?.content).toContain('[1] Open the PO.');
  });

  it('fills every placeholder of the template', () => {
    expect(
      fillPrompt('{{question}}|{{answer}}|{{passages}}|{{other}}', {
        question: 'q',
        answer: 'a',
        passages: [],
      }),
    ).toBe('q|a|(none)|{{other}}');
  });
});
