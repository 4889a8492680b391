/**
 * LLM-judged answer quality (faithfulness and answer relevance, after Ragas): an OpenAI-compatible chat model reads
 * the question, the passages the assistant retrieved and its answer, lists the answer's claims with a supported flag
 * and rates relevance 1–5. Faithfulness is computed here from the claims (supported / total) rather than trusting a
 * number the model makes up. Runs only when an LLM is configured (never in CI); the prompt is a versioned file in
 * `prompts/`.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { ChatOpenAI } from '@langchain/openai';
import { z } from 'zod';

export const JUDGE_PROMPT_VERSION = 'eval-judge.v1';
export const JUDGE_PROMPT_FILE = fileURLToPath(
  new URL(`../prompts/${JUDGE_PROMPT_VERSION}.md`, import.meta.url),
);

export interface JudgeInput {
  question: string;
  answer: string;
  passages: string[];
}

export interface JudgeVerdict {
  /** Supported claims / claims; null when the answer makes no claim. */
  faithfulness: number | null;
  /** Relevance 1–5 mapped to 0..1. */
  relevance: number;
  claims: { claim: string; supported: boolean }[];
  reason: string;
}

export interface Judge {
  readonly model: string;
  judge(input: JudgeInput): Promise<JudgeVerdict>;
}

export class JudgeOutputError extends Error {
  override readonly name = 'JudgeOutputError';
}

const verdictSchema = z.object({
  claims: z.array(z.object({ claim: z.string(), supported: z.boolean() })),
  relevance: z.coerce.number().min(1).max(5),
  reason: z.string().default(''),
});

/** Parses the judge's reply: a JSON object, possibly wrapped in a Markdown code fence or surrounded by prose. */
export function parseJudgeOutput(text: string): JudgeVerdict {
  const unfenced = text.replace(/```(?:json)?/gi, '');
  const start = unfenced.indexOf('{');
  const end = unfenced.lastIndexOf('}');
  if (start < 0 || end <= start)
    throw new JudgeOutputError(`judge reply has no JSON object: ${text.slice(0, 200)}`);
  let json: unknown;
  try {
    json = JSON.parse(unfenced.slice(start, end + 1));
  } catch (err) {
    throw new JudgeOutputError(`judge reply is not valid JSON (${(err as Error).message})`);
  }
  const parsed = verdictSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new JudgeOutputError(
      `judge reply has the wrong shape (${issue?.path.join('.')}: ${issue?.message})`,
    );
  }
  const { claims, relevance, reason } = parsed.data;
  const supported = claims.filter((c) => c.supported).length;
  return {
    faithfulness: claims.length ? supported / claims.length : null,
    relevance: (relevance - 1) / 4,
    claims,
    reason,
  };
}

export function fillPrompt(template: string, input: JudgeInput): string {
  const passages = input.passages.map((p, i) => `[${i + 1}] ${p}`).join('\n\n') || '(none)';
  const values: Record<string, string> = { question: input.question, answer: input.answer, passages };
  return template.replace(/\{\{(\w+)\}\}/g, (whole, key: string) => values[key] ?? whole);
}

export interface LlmSettings {
  OPENAI_BASE_URL?: string;
  OPENAI_API_KEY?: string;
  LLM_MODEL?: string;
}

/** Why the judge cannot run, or null when an LLM is configured. */
export function judgeUnavailableReason(settings: LlmSettings): string | null {
  if (!settings.LLM_MODEL) return 'no LLM configured (set LLM_MODEL and OPENAI_API_KEY or OPENAI_BASE_URL)';
  if (!settings.OPENAI_API_KEY && !settings.OPENAI_BASE_URL) {
    return 'LLM_MODEL is set but neither OPENAI_API_KEY nor OPENAI_BASE_URL is';
  }
  return null;
}

export async function createJudge(settings: LlmSettings, promptFile = JUDGE_PROMPT_FILE): Promise<Judge> {
  const reason = judgeUnavailableReason(settings);
  if (reason) throw new JudgeOutputError(reason);
  const template = await readFile(promptFile, 'utf8');
  const model = settings.LLM_MODEL!;
  const chat = new ChatOpenAI({
    model,
    temperature: 0,
    maxRetries: 2,
    // Local endpoints (vLLM, Ollama) accept any key; the client library insists on one.
    apiKey: settings.OPENAI_API_KEY ?? 'not-needed',
    configuration: settings.OPENAI_BASE_URL ? { baseURL: settings.OPENAI_BASE_URL } : undefined,
  });
  return {
    model,
    async judge(input) {
      const message = await chat.invoke([{ role: 'user', content: fillPrompt(template, input) }]);
      const text = typeof message.content === 'string' ? message.content : JSON.stringify(message.content);
      return parseJudgeOutput(message.text || text);
    },
  };
}

export interface JudgedCase {
  id: string;
  verdict?: JudgeVerdict;
  error?: string;
}

export interface JudgedMetrics {
  model: string;
  prompt: string;
  judged: number;
  errors: number;
  faithfulness: number | null;
  answer_relevance: number | null;
  cases: JudgedCase[];
}

function mean(values: number[]): number | null {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
}

/** Judges every answered case, one at a time; a failed judgement is counted, not fatal. */
export async function judgeCases(
  judge: Judge,
  items: readonly (JudgeInput & { id: string })[],
): Promise<JudgedMetrics> {
  const cases: JudgedCase[] = [];
  for (const item of items) {
    try {
      cases.push({ id: item.id, verdict: await judge.judge(item) });
    } catch (err) {
      cases.push({ id: item.id, error: (err as Error).message });
    }
  }
  const verdicts = cases.flatMap((c) => (c.verdict ? [c.verdict] : []));
  return {
    model: judge.model,
    prompt: JUDGE_PROMPT_VERSION,
    judged: verdicts.length,
    errors: cases.length - verdicts.length,
    faithfulness: mean(verdicts.flatMap((v) => (v.faithfulness === null ? [] : [v.faithfulness]))),
    answer_relevance: mean(verdicts.map((v) => v.relevance)),
    cases,
  };
}
