import { describe, expect, it } from 'vitest';
import { redactPhi } from './redact.js';

describe('redactPhi', () => {
  it('redacts MRNs, e-mails and phone numbers', () => {
    expect(redactPhi('MRN: 00123456 wrong lot, mail jane.doe@stalhelm.nhs.uk or call +44 20 7946 0958')).toBe(
      'MRN [id] wrong lot, mail [email] or call [phone]',
    );
  });

  it('redacts dates of birth and full dates', () => {
    expect(redactPhi('DOB 12/03/1985, seen on 4 March 2026')).toBe('DOB [date], seen on [date]');
    expect(redactPhi('born 1985-03-12')).toBe('born [date]');
  });

  it('redacts names after "patient" and titled names', () => {
    expect(redactPhi('patient John Smith needs a pump; Mrs Patel called')).toBe(
      'patient [name] needs a pump; [name] called',
    );
  });

  it('keeps workflow words, catalogue codes, extensions and times', () => {
    const q = 'How do I order CS-10234 gloves for ward 4B before 13:00? Stores is on extension 4410.';
    expect(redactPhi(q)).toBe(q);
    expect(redactPhi('what does the patient transport SOP say')).toBe(
      'what does the patient transport SOP say',
    );
  });

  it('redacts long bare numbers that could identify a person', () => {
    expect(redactPhi('bed 12 hospital number 9434765919')).toBe('bed 12 hospital number [id]');
    expect(redactPhi('ref 94347659')).toBe('ref [id]');
  });
});
