// Reads durations written in words ("0-15 min", "< 5 minutes", "Every 15 minutes", "Immediate") into playbook durations.

const UNITS: [RegExp, string][] = [
  [/^(?:ms|millis(?:econds?)?)$/i, 'ms'],
  [/^(?:s|secs?|seconds?)$/i, 's'],
  [/^(?:m|mins?|minutes?)$/i, 'm'],
  [/^(?:h|hrs?|hours?)$/i, 'h'],
  [/^(?:d|days?)$/i, 'd'],
  [/^(?:w|wks?|weeks?)$/i, 'w'],
];

/**
 * The playbook duration for a phrase, or undefined when it has none that is exact enough.
 * A range such as `0-15 min` gives its upper bound; `Immediate` gives `immediate`.
 */
export function durationFromWords(text: string): string | undefined {
  const plain = text.replace(/\*\*/g, '').trim();
  const found =
    /(\d+(?:\.\d+)?)(?:\s*(?:-|–|to)\s*(\d+(?:\.\d+)?))?\s*(ms|millis(?:econds?)?|secs?|seconds?|mins?|minutes?|hrs?|hours?|days?|wks?|weeks?|[smhdw])\b/i.exec(
      plain,
    );
  if (found) {
    const amount = found[2] ?? found[1];
    const unit = UNITS.find(([pattern]) => pattern.test(found[3]))?.[1];
    if (unit) return `${amount}${unit}`;
  }
  if (/^(?:immediate(?:ly)?|instant(?:ly)?)\b/i.test(plain)) return 'immediate';
  return undefined;
}
