// Replaces secret values with `••••` in any text, whole or streamed in chunks, including their URL and base64 forms.

/** What replaces each redacted stretch of text. */
export const MASK = '••••';

/** Values shorter than this are still redacted, with a note that the mask may also hide unrelated text. */
export const SHORT_SECRET = 4;

/** A secret value, named so notes can say which variable they are about. */
export interface NamedSecret {
  name: string;
  value: string;
}

/** The strings to hide, longest first, and notes for people about secrets that redact poorly. */
export interface RedactionPlan {
  needles: string[];
  notes: string[];
}

/**
 * Every form in which each secret may appear, deduplicated and sorted longest first: as is, URL-encoded (`%20` and
 * `+` for spaces), escaped inside a JSON string, and base64 (standard, unpadded, URL-safe). A secret base64-encoded
 * together with other text (`user:pass` in Basic auth) is not aligned with its own encoding and cannot be found.
 */
export function planRedaction(secrets: readonly (string | NamedSecret)[]): RedactionPlan {
  const needles = new Set<string>();
  const notes: string[] = [];
  secrets.forEach((secret, index) => {
    const { name, value } = typeof secret === 'string' ? { name: `#${index + 1}`, value: secret } : secret;
    if (value.length === 0) return;
    if (value.length < SHORT_SECRET) {
      notes.push(
        `secret ${name} is shorter than ${SHORT_SECRET} characters; it is still redacted, so the same characters elsewhere in the text are hidden too`,
      );
    }
    for (const form of encodedForms(value)) needles.add(form);
  });
  return { needles: [...needles].sort((a, b) => b.length - a.length), notes };
}

function encodedForms(value: string): string[] {
  const base64 = Buffer.from(value, 'utf8').toString('base64');
  return [
    value,
    encodeURIComponent(value),
    JSON.stringify(value).slice(1, -1),
    new URLSearchParams({ v: value }).toString().slice(2),
    base64,
    base64.replace(/=+$/, ''),
    base64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''),
  ].filter((form) => form.length > 0);
}

/** Redacts a whole text at once; the same as feeding it to a `Redactor` in any chunks. */
export function redact(text: string, secrets: readonly (string | NamedSecret)[] | RedactionPlan): string {
  const redactor = new Redactor(secrets);
  return redactor.push(text) + redactor.end();
}

/**
 * Redacts a stream. `push` returns the text that is safe to emit; the last `longest - 1` characters are held back
 * because a secret may continue in the next chunk; `end` releases them. Every stretch covered by one or more
 * occurrences (overlapping ones merge) becomes a single `••••`, whatever the chunking.
 */
export class Redactor {
  private readonly needles: string[];
  private readonly hold: number;
  private buffer = '';
  /** Leading characters of `buffer` already covered by an occurrence that started in emitted text. */
  private carried = 0;
  /** Whether the emitted text ends inside a masked stretch, so a continuation adds no second mask. */
  private maskOpen = false;

  constructor(secrets: readonly (string | NamedSecret)[] | RedactionPlan) {
    this.needles = isPlan(secrets) ? secrets.needles.filter((n) => n.length > 0) : planRedaction(secrets).needles;
    this.hold = Math.max(0, ...this.needles.map((n) => n.length - 1));
  }

  /** Feeds a chunk; returns the redacted text that can be emitted now. */
  push(chunk: string): string {
    this.buffer += chunk;
    return this.flush(Math.max(0, this.buffer.length - this.hold));
  }

  /** Ends the stream; returns the redacted remainder. */
  end(): string {
    return this.flush(this.buffer.length);
  }

  private flush(cut: number): string {
    if (cut === 0) return '';
    const covered = this.coverage();
    if (!covered) return this.emitPlain(cut);
    const out = this.emit(covered, cut);
    this.maskOpen = covered[cut - 1] === 1;
    this.carried = Math.max(0, this.coveredEnd(cut) - cut);
    this.buffer = this.buffer.slice(cut);
    return out;
  }

  /** The usual case, no secret anywhere in the buffer: the text as it is, without a per-character pass. */
  private emitPlain(cut: number): string {
    const out = this.buffer.slice(0, cut);
    this.maskOpen = false;
    this.buffer = this.buffer.slice(cut);
    return out;
  }

  /** 1 for each buffer position inside some occurrence of a needle; undefined when there is none. */
  private coverage(): Uint8Array | undefined {
    let covered: Uint8Array | undefined;
    if (this.carried > 0) covered = new Uint8Array(this.buffer.length).fill(1, 0, this.carried);
    for (const needle of this.needles) {
      for (let at = this.buffer.indexOf(needle); at !== -1; at = this.buffer.indexOf(needle, at + 1)) {
        covered ??= new Uint8Array(this.buffer.length);
        covered.fill(1, at, at + needle.length);
      }
    }
    return covered;
  }

  private emit(covered: Uint8Array, cut: number): string {
    let out = '';
    let plainStart = 0;
    for (let i = 0; i < cut; i++) {
      if (covered[i] === 0) continue;
      out += this.buffer.slice(plainStart, i);
      const continuing = i === 0 && this.maskOpen;
      if (!continuing) out += MASK;
      while (i < cut && covered[i] === 1) i++;
      plainStart = i;
    }
    return out + this.buffer.slice(plainStart, cut);
  }

  /** Furthest end of an occurrence that starts before `cut` (occurrences starting later are found again next time). */
  private coveredEnd(cut: number): number {
    let end = this.carried;
    for (const needle of this.needles) {
      for (let at = this.buffer.indexOf(needle); at !== -1 && at < cut; at = this.buffer.indexOf(needle, at + 1)) {
        end = Math.max(end, at + needle.length);
      }
    }
    return end;
  }
}

function isPlan(value: readonly (string | NamedSecret)[] | RedactionPlan): value is RedactionPlan {
  return !Array.isArray(value);
}
