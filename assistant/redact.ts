/**
 * PHI redaction for everything the assistant logs or stores (the audit record, the question log). Staff paste
 * identifiers into questions ("patient John Smith MRN 00123456 was sent the wrong lot"); the SOP search does not need
 * them and the logs must not keep them. Deterministic patterns, erring on the side of redacting: a catalogue code
 * survives (short, prefixed), a seven-digit number does not.
 */

interface Rule {
  name: string;
  pattern: RegExp;
  replace: string | ((match: string, ...groups: string[]) => string);
}

const MONTHS =
  'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?';

const RULES: Rule[] = [
  { name: 'email', pattern: /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu, replace: '[email]' },
  {
    name: 'mrn',
    pattern:
      /\b(MRN|medical record(?: number| no\.?)?|hospital (?:number|no\.?)|NHS(?: number| no\.?)?|patient (?:id|number|no\.?))\s*[:#]?\s*[A-Z0-9][A-Z0-9-]{3,}\b/giu,
    replace: (_m: string, label: string) => `${label} [id]`,
  },
  {
    name: 'dob',
    pattern: /\b(DOB|D\.O\.B\.?|date of birth|born(?: on)?)\s*[:#]?\s*[^\s,;]+(?:\s+[^\s,;]+){0,2}/giu,
    replace: (_m: string, label: string) => `${label} [date]`,
  },
  {
    name: 'date',
    pattern: new RegExp(
      `\\b(?:\\d{1,2}[/.-]\\d{1,2}[/.-](?:\\d{4}|\\d{2})|\\d{4}-\\d{2}-\\d{2}|\\d{1,2}(?:st|nd|rd|th)?\\s+(?:${MONTHS})\\.?,?\\s+\\d{4}|(?:${MONTHS})\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+\\d{4})\\b`,
      'giu',
    ),
    replace: '[date]',
  },
  {
    name: 'phone',
    pattern:
      /(?<![\p{L}\p{N}-])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,5}\)[\s.-]?)?\d{2,5}(?:[\s.-]\d{2,5}){1,4}(?![\p{L}\p{N}])/gu,
    replace: (m: string) => (m.replace(/\D/g, '').length >= 9 ? '[phone]' : m),
  },
  { name: 'long-number', pattern: /(?<![\p{L}-])\d{7,}(?![\p{L}\p{N}])/gu, replace: '[id]' },
  {
    name: 'patient-name',
    pattern:
      /\b(patient|pt\.?|resident|client)(\s*[:,-]?\s+)((?:(?:Mr|Mrs|Ms|Miss|Dr|Mx)\.?\s+)?\p{Lu}[\p{L}'’-]+(?:\s+\p{Lu}[\p{L}'’-]+){0,2})/gu,
    replace: (_m: string, word: string, sep: string) => `${word}${sep}[name]`,
  },
  {
    name: 'titled-name',
    pattern: /\b(Mr|Mrs|Ms|Miss|Mx)\.?\s+\p{Lu}[\p{L}'’-]+(?:\s+\p{Lu}[\p{L}'’-]+)?/gu,
    replace: '[name]',
  },
];

/** Returns the text with PHI replaced by placeholders ([email], [phone], [date], [id], [name]). */
export function redactPhi(text: string): string {
  let out = text;
  for (const rule of RULES) {
    out = out.replace(rule.pattern, rule.replace as (substring: string, ...args: string[]) => string);
  }
  return out;
}
