/**
 * JSON-lines batch mode of `ask`: one request per input line, one answer per output line, in input order, in one
 * process (start-up — opening the store, loading the embedder — is paid once). A bad line gets an error line in its
 * place so the output stays aligned with the input.
 */
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { z } from 'zod';

export const askLineSchema = z
  .object({
    question: z.string().trim().min(1, 'question must not be empty'),
    role: z.string().trim().min(1).optional(),
    roles: z.array(z.string().trim().min(1)).optional(),
    user: z.string().trim().min(1).optional(),
  })
  .strict();

export type AskLine = z.infer<typeof askLineSchema>;

/** Answers one parsed line; returns the JSON object to print. */
export type AnswerLine = (line: AskLine) => Promise<unknown>;

export interface BatchResult {
  lines: number;
  errors: number;
}

export async function runAskBatch(
  input: Readable,
  output: Writable,
  answer: AnswerLine,
): Promise<BatchResult> {
  const rl = createInterface({ input, crlfDelay: Infinity });
  let lines = 0;
  let errors = 0;
  for await (const raw of rl) {
    if (!raw.trim()) continue;
    lines++;
    let out: unknown;
    try {
      const parsed = askLineSchema.safeParse(JSON.parse(raw));
      if (!parsed.success) {
        const i = parsed.error.issues[0];
        throw new Error(`line ${lines}: ${i?.path.join('.') || 'line'}: ${i?.message ?? 'invalid'}`);
      }
      out = await answer(parsed.data);
    } catch (err) {
      errors++;
      const message =
        err instanceof SyntaxError
          ? `line ${lines}: not JSON`
          : err instanceof Error
            ? err.message
            : String(err);
      out = { error: message };
    }
    if (!output.write(`${JSON.stringify(out)}\n`)) await new Promise((r) => output.once('drain', r));
  }
  return { lines, errors };
}
